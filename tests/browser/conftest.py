"""A real `run.py viz` server on a free loopback port, driven by Debian's headless Chromium through Playwright.

No browser is downloaded: Playwright launches /usr/bin/chromium. The page's requests are watched, and any
that would leave 127.0.0.1 is aborted and recorded, so a test fails on it even on a machine with internet.
Timings are collected in TIMINGS and printed at the end of the run; nothing asserts on them.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(os.environ.get("STAKESIM_SCREENSHOTS", ROOT / "out" / "screenshots"))
TIMINGS: dict[str, list[float]] = {}

# A variant that fails validation in two places, for the scenario picker's error message.
BROKEN = """\
extends: libya_2020.yaml
name: Libya 2020 (broken on purpose)
engine:
  escalation:
    temperature: -1
actors:
  LNA:
    goals:
      ceasefire_adherence: 1.5
"""


def pytest_collection_modifyitems(config, items):
    if CHROMIUM.exists():
        return
    skip = pytest.mark.skip(reason="/usr/bin/chromium is absent (Debian: apt-get install chromium)")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


def pytest_terminal_summary(terminalreporter):
    if not TIMINGS:
        return
    terminalreporter.section("browser timings (ms; printed, not asserted)")
    for name, values in TIMINGS.items():
        terminalreporter.write_line(
            f"{name}: median {statistics.median(values):.0f}, min {min(values):.0f},"
            f" max {max(values):.0f} (n={len(values)})"
        )


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def scenario_dir(tmp_path_factory) -> Path:
    """The shipped scenarios plus a broken variant, in a folder of their own (the picker lists the folder)."""
    folder = tmp_path_factory.mktemp("scenarios")
    for path in (ROOT / "scenarios").glob("*.yaml"):
        shutil.copy(path, folder / path.name)
    (folder / "broken.yaml").write_text(BROKEN, encoding="utf-8")
    return folder


@pytest.fixture(scope="session")
def server(scenario_dir, tmp_path_factory):
    """`run.py viz` on a free port; yields its base URL and the path of its log."""
    port = _free_port()
    log_path = tmp_path_factory.mktemp("server") / "viz.log"
    command = [sys.executable, "run.py", "viz", str(scenario_dir / "libya_2020.yaml"), "--port", str(port)]
    with open(log_path, "w") as log:
        proc = subprocess.Popen(command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 120  # the first start may fetch the assets from the npm registry
    while True:
        if proc.poll() is not None:
            pytest.fail(f"the viz server exited with {proc.returncode}:\n{log_path.read_text()}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    break
        except OSError:
            pass
        if time.monotonic() > deadline:
            proc.kill()
            pytest.fail(f"the viz server did not answer within 120 s:\n{log_path.read_text()}")
        time.sleep(0.2)
    yield {"url": url, "log": log_path}
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class Watch:
    """What a page did: console errors, uncaught exceptions, every URL asked for, and the ones blocked."""

    def __init__(self) -> None:
        self.errors: list[str] = []
        self.urls: list[str] = []
        self.blocked: list[str] = []
        self.failed: list[str] = []

    def attach(self, page) -> None:
        page.on("console", lambda msg: msg.type == "error" and self.errors.append(f"console: {msg.text}"))
        page.on("pageerror", lambda exc: self.errors.append(f"pageerror: {exc}"))
        page.on("requestfailed", lambda req: self.failed.append(f"{req.url} ({req.failure})"))
        page.on("response", lambda r: r.status >= 400 and self.failed.append(f"{r.url} (HTTP {r.status})"))
        page.on("websocket", lambda ws: self.urls.append(ws.url))


@pytest.fixture
def context(browser):
    """A fresh browser context (its own cookies) whose requests may go to 127.0.0.1 only."""
    ctx = browser.new_context(viewport={"width": 1500, "height": 1700})  # tall enough for every view
    watch = Watch()

    def route(route):
        url = route.request.url
        watch.urls.append(url)
        if urlparse(url).scheme in ("http", "https", "ws", "wss") and urlparse(url).hostname != "127.0.0.1":
            watch.blocked.append(url)
            route.abort()
        else:
            route.continue_()

    ctx.route("**/*", route)
    ctx.watch = watch
    yield ctx
    ctx.close()


@pytest.fixture
def record_timing():
    """`record_timing(name, ms)`: kept for the summary printed at the end of the run."""
    return lambda name, ms: TIMINGS.setdefault(name, []).append(ms)


@pytest.fixture
def open_page(context, server):
    """`open_page()` -> a new tab on the viz page, every view drawn, its load time recorded."""

    def _open() -> VizPage:
        page = context.new_page()
        context.watch.attach(page)
        started = time.perf_counter()
        page.goto(server["url"])
        viz = VizPage(page)
        viz.wait_rendered()
        TIMINGS.setdefault("time to first render (goto -> every view drawn)", []).append(
            (time.perf_counter() - started) * 1000
        )
        return viz

    return _open


VIEWS = ("network", "positions", "rungs", "oil", "control", "events", "why")
CHARTS = VIEWS[:-2]  # the views drawn as figures, in page order

# Clicks Step inside the page and resolves with the milliseconds until the round shown has advanced and
# at least one chart's image has changed (both observed by a MutationObserver, no polling delay).
STEP_AND_TIME = """() => new Promise((resolve) => {
    const banner = () => document.querySelector('.stakesim-banner').textContent;
    const images = () => ['positions', 'rungs', 'oil'].map((v) => document.querySelector(`.view-${v} img`).src);
    const text0 = banner(), src0 = images();
    const t0 = performance.now();
    const done = () => banner() !== text0 && images().every((s, i) => s !== src0[i]);
    const observer = new MutationObserver(() => {
        if (done()) { observer.disconnect(); resolve(performance.now() - t0); }
    });
    observer.observe(document.body, {subtree: true, childList: true, attributes: true, characterData: true});
    [...document.querySelectorAll('button')].find((b) => b.textContent.trim() === 'Step').click();
})"""


class VizPage:
    """The viz page as a user sees it: the round, the buttons, the seed box, the sliders, the picker."""

    VIEWS = VIEWS
    CHARTS = CHARTS

    def __init__(self, page) -> None:
        self.page = page

    def wait_rendered(self) -> None:
        self.page.locator(".stakesim-banner").wait_for(timeout=30_000)
        for view in VIEWS:
            self.page.locator(f".stakesim-view.view-{view}").wait_for(timeout=30_000)
        self.page.wait_for_function(
            "n => [...document.querySelectorAll('.stakesim-view img')].filter(i => i.complete"
            " && i.naturalWidth > 0).length >= n",
            arg=len(CHARTS),
            timeout=30_000,
        )

    def banner(self) -> str:
        return self.page.locator(".stakesim-banner").inner_text()

    def round(self) -> int:
        found = re.search(r"Round (\d+)", self.banner())
        assert found, f"no round in the banner: {self.banner()!r}"
        return int(found.group(1))

    def images(self) -> list[str]:
        return [self.page.locator(f".view-{view} img").get_attribute("src") for view in CHARTS]

    def button(self, name: str):
        return self.page.get_by_role("button", name=name, exact=True)

    def step_timed(self) -> float:
        return self.page.evaluate(STEP_AND_TIME)

    def wait_round(self, predicate, timeout: float = 20.0) -> int:
        deadline = time.monotonic() + timeout
        while not predicate(now := self.round()):
            assert time.monotonic() < deadline, f"round stuck at {now}"
            time.sleep(0.05)
        return now

    def settled_round(self, quiet: float = 3.0, timeout: float = 40.0) -> int:
        """The round once it has stopped changing for `quiet` seconds (a round already under way when
        pause was clicked lands late on a loaded machine); fails if it never stops."""
        deadline = time.monotonic() + timeout
        last, since = self.round(), time.monotonic()
        while time.monotonic() - since < quiet:
            assert time.monotonic() < deadline, f"the round kept moving (at {last})"
            time.sleep(0.1)
            now = self.round()
            if now != last:
                last, since = now, time.monotonic()
        return last

    def set_seed(self, text: str) -> None:
        box = self.page.get_by_label("Seed (a whole number)")
        box.fill(text)
        box.press("Enter")
        self.settle()

    def nudge_slider(self, label: str, presses: int) -> None:
        """Move the slider labelled `label` by `presses` steps with the keyboard, as a user can."""
        thumb = self.page.locator(".v-input", has=self.page.get_by_text(label, exact=True)).get_by_role(
            "slider"
        )
        thumb.focus()
        for _ in range(abs(presses)):
            thumb.press("ArrowRight" if presses > 0 else "ArrowLeft")
        self.settle()

    def settle(self) -> None:
        """Let the page send what was typed before the next click. Under load, a Reset clicked within a few
        milliseconds of pressing Enter was seen (2 runs in 6) to build the model without the new seed; a
        person is never that fast, so the tests pause as one would."""
        self.page.wait_for_timeout(400)

    def pick_scenario(self, text: str) -> None:
        self.page.locator(".stakesim-picker .v-select").click()
        self.page.get_by_role("option", name=text).click()

    def screenshot(self, name: str) -> None:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
