"""The Libya runs read against what happened after 14 January 2020 (docs/MODEL.md prints this table).

    .venv/bin/python benchmarks/libya_2020.py [--runs N] [--set path=value ...]

N seeded runs of scenarios/libya_2020.yaml (seeds spawned from the scenario's seed, as `run --replications`
does), and for each fact of early 2020 the share of runs in which the model shows it, with a 95% Wilson interval.
The facts are from the record after 14 January 2020, which the scenario does not use.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from sim.engine.log import Kind
from sim.model import run_model
from sim.scenario import load_scenario
from sim.sweep.analysis import wilson
from sim.sweep.designs import run_seed

ROOT = Path(__file__).resolve().parents[1]


def support(row: dict, patron: str) -> float:
    return sum(v for k, v in row.items() if k.startswith(f"support_{patron}_"))


def facts(model) -> dict[str, bool]:
    """One run's answers, each a yes/no about an event of 2020 (round r = the week from 14 Jan + 7 (r - 1) days)."""
    h = model.history

    def at(r: int) -> dict:
        return h[min(r, len(h) - 1)]

    berlin = [
        e for e in model.events if e["type"] in (Kind.SIGNED, Kind.REFUSED) and e.get("forum") == "berlin"
    ]
    lna_berlin = [e["type"] for e in berlin if e["actors"] == ["LNA"]]
    start_front = h[0]["control_tripoli_front_GNA"]
    return {
        "Berlin (19 Jan, round 1): the LNA does not sign": lna_berlin[:1] == [Kind.REFUSED],
        "truce violated within two weeks (round <= 2)": (model.first_violation_round or 99) <= 2,
        "LNA oil blockade within two weeks (round <= 2)": (model.first_blockade_round or 99) <= 2
        and any(e["type"] == Kind.BLOCKADE_STARTED and e["actors"] == ["LNA"] for e in model.events),
        "oil output below 0.2 m b/d in round 3 (early Feb)": at(3)["oil_output_bpd"] < 200_000,
        "Turkish support up by > 0.5k by round 13 (mid-April)": support(at(13), "TUR")
        > support(h[0], "TUR") + 0.5,
        "GNA gains on the Tripoli front by round 20 (late May)": at(20)["control_tripoli_front_GNA"]
        > start_front + 0.05,
        "GNA gains on the Tripoli front by round 26 (early July)": at(26)["control_tripoli_front_GNA"]
        > start_front + 0.05,
        "GNA holds more of the country at the end than at the start": h[-1]["control_GNA"]
        > h[0]["control_GNA"] + 0.01,
        "a signed agreement by round 41 (23 Oct 2020 ceasefire)": (model.first_agreement_round or 99) <= 41,
        "fighting at rung <= 2 in round 30 (August standoff)": max(at(30)["rung_GNA"], at(30)["rung_LNA"])
        <= 2,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=100)
    parser.add_argument("--set", dest="overrides", action="append", default=[], metavar="PATH=VALUE")
    args = parser.parse_args()
    loaded = load_scenario(ROOT / "scenarios" / "libya_2020.yaml", args.overrides)
    base = loaded.scenario.seed
    answers = [facts(run_model(loaded, seed=run_seed(base, i))) for i in range(args.runs)]
    print(
        f"{loaded.scenario.name}: {args.runs} runs from base seed {base}; share of runs [95% Wilson interval]"
    )
    for key in answers[0]:
        k = int(np.sum([a[key] for a in answers]))
        lo, hi = wilson(k, args.runs)
        print(f"  {key:<62} {k / args.runs:6.1%}  [{float(lo):.0%}, {float(hi):.0%}]")


if __name__ == "__main__":
    main()
