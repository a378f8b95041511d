"""Solara's browser assets, fetched once from the npm registry into a local cache, so the page works offline.

Solara's page shell (Vue, Vuetify, RequireJS, fonts) is not in its Python wheel: the server proxies
`/_solara/cdn/<package>@<version>/<path>` to a public CDN and keeps what it got in
`SOLARA_ASSETS_PROXY_CACHE_DIR`. With no internet the page stays blank. The same files are in the npm
packages, so `npm pack` (the registry's own client) fills that cache ahead of time, laid out exactly as the
proxy would: `<cache>/<spec>/<path inside the package>`, the directory named by the spec the browser asks for.
"""

from __future__ import annotations

import shutil
import subprocess
import tarfile
import tempfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_DIR = ROOT / ".cache" / "solara-assets"

# Every spec appears verbatim in solara 1.64.1's sources (tests/test_viz_assets.py checks it), so a
# solara upgrade that asks for other versions fails a test instead of blanking the page.
PACKAGES = (
    # The page shell for ipyvue/ipyvuetify 1.x (Vue 2); pyproject pins those below 2.
    "@widgetti/solara-vuetify-app@10.1.1",
    "requirejs@2.3.6",
    "font-awesome@4.5.0",
    # SolaraViz lays its components out in a draggable grid.
    "@widgetti/vue-grid-layout@2.3.13-alpha.2",
    # Altair charts, should a component use them.
    "vega@5",
    "vega-lite@5",
    "vega-embed@6",
    # solara.Markdown asks for these; each miss costs the server about 7 s of retries before it gives up.
    "mermaid@10.8.0",
    "katex@0.16.9",
)


class AssetError(Exception):
    """The cache could not be filled; the message says why and what to do."""


def missing(cache_dir: str | Path = DEFAULT_DIR, packages: tuple[str, ...] = PACKAGES) -> list[str]:
    """The specs not yet in `cache_dir` (a spec's directory exists only once it is complete)."""
    cache = Path(cache_dir)
    return [spec for spec in packages if not (cache / spec / "package.json").is_file()]


def fetch(
    cache_dir: str | Path = DEFAULT_DIR,
    packages: tuple[str, ...] = PACKAGES,
    npm: str = "npm",
    log: Callable[[str], None] = print,
) -> list[str]:
    """Fill `cache_dir` with the missing packages; returns the specs fetched (none when all are there).

    Each package is unpacked beside the cache and renamed into place, so an interrupted fetch leaves no
    half-filled directory and the next call picks up where it stopped.
    """
    todo = missing(cache_dir, packages)
    if not todo:
        return []
    npm_path = shutil.which(npm)
    if npm_path is None:
        raise AssetError(
            f"`{npm}` is not installed; it fetches solara's browser assets from the npm registry."
            " Install it (Debian: `apt-get install npm`) and run `make assets` again."
        )
    cache = Path(cache_dir)
    cache.mkdir(parents=True, exist_ok=True)
    for spec in todo:
        log(f"fetching {spec} from the npm registry")
        with tempfile.TemporaryDirectory(dir=cache, prefix=".fetch-") as tmp:
            tarball = _pack(npm_path, spec, Path(tmp))
            staged = Path(tmp) / "package"
            with tarfile.open(tarball) as tar:
                # The "data" filter refuses absolute paths, links out of the tree and device files.
                tar.extractall(tmp, filter="data")
            if not (staged / "package.json").is_file():
                raise AssetError(f"{spec}: the npm tarball has no package/package.json")
            target = cache / spec
            target.parent.mkdir(parents=True, exist_ok=True)
            staged.rename(target)
    return todo


def _pack(npm_path: str, spec: str, workdir: Path) -> Path:
    """`npm pack SPEC` in `workdir`; the path of the tarball it wrote."""
    try:
        done = subprocess.run(
            [npm_path, "pack", "--silent", spec],
            cwd=workdir,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise AssetError(
            f"`npm pack {spec}` took more than 5 minutes; is the npm registry reachable?"
        ) from None
    tarballs = sorted(workdir.glob("*.tgz"))
    if done.returncode != 0 or len(tarballs) != 1:
        detail = (done.stderr or done.stdout).strip().splitlines()[-3:]
        raise AssetError(
            f"`npm pack {spec}` failed (exit {done.returncode}): {' / '.join(detail) or 'no output'}."
            " Check that the npm registry is reachable (`npm ping`)."
        )
    return tarballs[0]
