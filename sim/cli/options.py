"""Options and output shared by several commands, declared once."""

from __future__ import annotations

import sys


def add_set_option(parser, example: str = "engine.escalation.temperature=0.3") -> None:
    """`--set PATH=VALUE` (repeatable): override a scenario value by its dotted path."""
    parser.add_argument(
        "--set",
        dest="overrides",
        action="append",
        default=[],
        metavar="PATH=VALUE",
        help=f"override a scenario value by dotted path (repeatable), e.g. --set {example}",
    )


def add_root_option(parser) -> None:
    """`--allow-root DIR` (repeatable): a folder that `extends:` and a sweep's `scenario:` may also read from."""
    parser.add_argument(
        "--allow-root",
        dest="allow_roots",
        action="append",
        default=[],
        metavar="DIR",
        help="also read bases (extends:) from DIR; by default only the file's own folder and the shipped"
        " scenarios/ are read (repeatable)",
    )


def roots(args, file: str):
    """The folders a scenario named on the command line may read files from (sim.scenario.files)."""
    from sim.scenario.files import default_roots

    return default_roots(file, args.allow_roots)


def emit(text: str, out: str | None) -> None:
    """Write `text` to the file `out` (atomically), or to stdout when no file is given."""
    if out:
        from sim.atomic import write_text

        write_text(out, text)
    else:
        sys.stdout.write(text)
