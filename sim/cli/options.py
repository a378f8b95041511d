"""Options shared by several commands, declared once."""

from __future__ import annotations


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
