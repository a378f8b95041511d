"""`check SCENARIO QUESTIONS.yaml --replications N`: score dated yes/no questions over replications.

Each question's share of runs with its 95% Wilson interval, the observed answer, and Brier scores of the model
beside the baselines "nothing changes" and "the stronger side wins" (docs/cases/README.md), all in one run.
"""

from __future__ import annotations

import sys

from sim.cli.options import add_set_option


def add_parser(sub) -> None:
    p = sub.add_parser("check", help="score a file of dated yes/no questions over replications of a scenario")
    p.add_argument("scenario", metavar="SCENARIO")
    p.add_argument("questions", metavar="QUESTIONS.yaml")
    p.add_argument("--replications", type=int, default=100, metavar="N", help="seeded runs (default 100)")
    p.add_argument("--workers", type=int, default=1, metavar="W", help="processes (default 1)")
    p.add_argument("--seed", type=int, help="base seed (default: the scenario's `seed`)")
    add_set_option(p)
    p.add_argument("--json", action="store_true", help="print the scores as JSON instead of the table")
    p.set_defaults(handler=handle)


def handle(args) -> int:
    for flag, value in (("--replications", args.replications), ("--workers", args.workers)):
        if value < 1:
            print(f"check: {flag}: got {value}; expected a whole number >= 1", file=sys.stderr)
            return 2
    if args.seed is not None and args.seed < 0:
        print(f"check: --seed: got {args.seed}; expected a whole number >= 0", file=sys.stderr)
        return 2
    from sim.questions import score
    from sim.questions.score import table

    loaded, questions, first = prepare(args.scenario, args.questions, args.overrides)
    scores = score(loaded, questions, first, args.replications, args.workers, args.seed)
    if args.json:
        from sim.outputs import to_json

        print(to_json(scores.as_dict()))
    else:
        print(table(scores))
    return 0


def prepare(scenario: str, questions: str, overrides=()):
    """The scenario, its questions checked against it, and its round-0 row (from a one-round run)."""
    from sim.model import run_model
    from sim.questions import load_questions
    from sim.scenario import load_scenario

    loaded = load_scenario(scenario, overrides)
    probe = run_model(loaded, seed=loaded.scenario.seed, max_rounds=1, collect=False)
    return loaded, load_questions(questions, loaded, probe.columns), probe.history[0]
