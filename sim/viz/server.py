"""Serve the SolaraViz page with uvicorn: loopback by default, offline, no telemetry, no version check.

Solara reads its settings from the environment when it is first imported, so `serve` sets the environment
before importing anything of solara. The version check lives only in `solara run`, which is not used.
"""

from __future__ import annotations

import os
import warnings
from pathlib import Path

from sim.viz.assets import DEFAULT_DIR

SCENARIO_ENV = "STAKESIM_VIZ_SCENARIO"  # the scenario the page opens with; its folder feeds the picker
APP = "sim.viz.app:Page"


def environment(scenario: str | Path, assets_dir: str | Path = DEFAULT_DIR) -> dict[str, str]:
    """The variables the server process needs; also used by the browser tests to start it."""
    return {
        "SOLARA_APP": APP,
        SCENARIO_ENV: str(Path(scenario).resolve()),
        # The proxy stays on: it serves /_solara/cdn/* from this directory; off, the page would point the
        # browser at the public CDN instead.
        "SOLARA_ASSETS_PROXY": "True",
        "SOLARA_ASSETS_PROXY_CACHE_DIR": str(Path(assets_dir).resolve()),
        "SOLARA_TELEMETRY_MIXPANEL_ENABLE": "False",
        "SOLARA_MODE": "production",
    }


def serve(
    scenario: str | Path,
    host: str = "127.0.0.1",
    port: int = 8765,
    assets_dir: str | Path = DEFAULT_DIR,
) -> None:
    """Run the server in this process until interrupted."""
    os.environ.update(environment(scenario, assets_dir))
    # Solara warns on every plain-http page load that samesite=none cookies need https; on loopback http it
    # falls back to samesite=lax, which is what a local page wants.
    warnings.filterwarnings(
        "ignore", message="Cookies with samesite=none require https", category=UserWarning
    )
    import uvicorn

    print(f"stakesim viz: http://{host}:{port}/  (scenario {scenario}; Ctrl-C stops)", flush=True)
    uvicorn.run("solara.server.starlette:app", host=host, port=port, log_level="warning")
