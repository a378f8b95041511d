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


def emit(text: str, out: str | None) -> None:
    """Write `text` to the file `out` (atomically), or to stdout when no file is given."""
    if out:
        from sim.atomic import write_text

        write_text(out, text)
    else:
        sys.stdout.write(text)
