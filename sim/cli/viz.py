"""`viz [FILE]`: the scenario live in the browser (Mesa's SolaraViz), served from this machine, offline."""

from __future__ import annotations

import errno
import socket
import sys

from sim.cli.options import add_root_option, roots
from sim.cli.run import DEFAULT_SCENARIO
from sim.scenario import ScenarioError, load_scenario

LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def add_parser(sub) -> None:
    p = sub.add_parser(
        "viz",
        help="watch a scenario in the browser: step, play, move sliders, replay",
        description=(
            "Serve the browser view of a scenario. Solara's browser assets are fetched once from the npm"
            " registry into .cache/solara-assets; after that the page needs no network."
        ),
    )
    p.add_argument("file", nargs="?", default=str(DEFAULT_SCENARIO), metavar="FILE")
    add_root_option(p)
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    p.add_argument("--port", type=int, default=8765, help="port to listen on (default: 8765)")
    p.add_argument(
        "--fetch-assets-only",
        action="store_true",
        help="fill the asset cache and exit (what `make assets` and CI run)",
    )
    p.set_defaults(handler=handle)


def handle(args) -> int:
    from sim.viz import assets

    if not args.fetch_assets_only:
        from sim.cli.scenario import located
        from sim.model import ConflictModel

        # A bad file, or one the model cannot run (no clock, ladder or theatre), is reported (exit 2), at its
        # lines, before anything is fetched or served.
        loaded = load_scenario(args.file, roots=roots(args, args.file))
        try:
            ConflictModel(scenario=loaded, collect=False)
        except ScenarioError as exc:
            raise located(exc, loaded) from None
        problem = _port_problem(args.host, args.port)
        if problem:
            print(f"viz: {problem}", file=sys.stderr)
            return 2
    try:
        fetched = assets.fetch(assets.DEFAULT_DIR, log=lambda line: print(line, file=sys.stderr))
    except assets.AssetError as exc:
        print(f"viz: cannot fetch solara's browser assets: {exc}", file=sys.stderr)
        return 1
    if args.fetch_assets_only:
        state = f"fetched {len(fetched)} package(s)" if fetched else "already complete"
        print(f"asset cache {assets.DEFAULT_DIR}: {state}")
        return 0
    if args.host not in LOOPBACK:
        print(
            f"viz: warning: listening on {args.host}, so other machines can open the page and run models",
            file=sys.stderr,
        )
    from sim.viz.server import serve

    serve(args.file, host=args.host, port=args.port)
    return 0


def _port_problem(host: str, port: int) -> str | None:
    """Why the server could not listen on host:port, in words, or None when it can."""
    if not 0 < port < 65536:
        return f"--port {port}: expected a port number from 1 to 65535"
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        return f"--host {host}: cannot resolve it ({exc.strerror})"
    family, _, _, _, address = infos[0]
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                return f"port {port} on {host} is in use; choose another with --port"
            return f"cannot listen on {host}:{port}: {exc.strerror}"
    return None
