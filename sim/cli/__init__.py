"""The command line: `stakesim <command>` (or `python run.py <command>`).

A thin skin: each command lives in its own module with `add_parser(subparsers)` and `handle(args) -> int`,
and imports the layers it needs only when it runs (the browser stack alone takes seconds to import).
Bad input anywhere surfaces as a ScenarioError: every problem is printed and the exit code is 2.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys

from sim.scenario.errors import ScenarioError

COMMANDS = ("run", "compare", "validate", "schema", "check", "forecast", "sweep", "analyze", "viz")
MODULES = {
    "run": "run",
    "compare": "compare",
    "validate": "scenario",
    "schema": "scenario",
    "check": "check",
    "forecast": "forecast",
    "sweep": "sweep",
    "analyze": "sweep",
    "viz": "viz",
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="stakesim",
        description="Agent-based simulation of conflicts and the negotiations around them.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    seen = set()
    for name in COMMANDS:
        module = MODULES[name]
        if module in seen:
            continue
        seen.add(module)
        importlib.import_module(f"sim.cli.{module}").add_parser(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.handler(args) or 0)
    except ScenarioError as exc:
        print(exc.report(), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # `stakesim forecast ... | head`: the reader left; nothing is wrong with the run. Point stdout at
        # /dev/null so the interpreter's final flush does not raise again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    sys.exit(main())
