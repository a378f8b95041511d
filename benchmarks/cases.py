"""Both cases read against what happened next: the questions, the model's share per question with 95% Wilson
intervals, the Brier score of the model beside the baselines, and an ablation table (docs/cases/README.md).

    .venv/bin/python benchmarks/cases.py [--replications N] [--workers W]     (make bench-cases)

For each case (a question file in scenarios/questions/ and the scenario it names): N seeded replications
scored by `run.py check` (sim.questions), with the baselines "nothing changes" and "the stronger side wins"
computed in the same run; then the model again with each mechanism of ABLATIONS switched off through `--set`
overrides on the same seeds, and its mean Brier score beside the full model's. Syria's questions were written
before the model was run on Syria; Libya's after the defaults had been chosen on Libya (a calibration check).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run from a checkout without installing

from sim.cli.check import prepare  # noqa: E402
from sim.questions import score  # noqa: E402
from sim.questions.score import table  # noqa: E402

CASES = ("syria_2019", "libya_2020")

# Mechanisms of the engine that can be switched off today, each by the overrides that turn it off. New
# mechanisms add a line here with the switch that disables them.
ABLATIONS = {
    "position drift (losers soften)": ["engine.adaptation.position_drift=0"],
    "trust (moves with violations and kept rounds)": [
        "engine.adaptation.trust_loss_per_violation=0",
        "engine.adaptation.trust_gain_per_round_kept=0",
    ],
    "monitoring (raises the cost of a violation)": ["engine.escalation.monitoring_weight=0"],
    "deterrence (threats weigh in rung choice)": ["engine.escalation.deterrence_weight=0"],
    "grievance (the 'fight on' end of a ceasefire issue)": ["engine.escalation.grievance_weight=0"],
    "patrons move their support": ["engine.patrons.step=0"],
    "oil blockades as coercion": ["engine.coercion.leverage_weight=0"],
    "ripeness (a hurting stalemate)": ["engine.bargaining.ripeness_weight=0"],
    "patrons choose their commitment": ["engine.patrons.commitment=false"],
    "learning from fighting": ["engine.learning.on=false"],
    "winners harden their demands": ["engine.adaptation.harden=false"],
    "patrons enforce the accords they co-sign": ["engine.patrons.enforce=false"],
}


def question_file(case: str) -> tuple[Path, Path]:
    qfile = ROOT / "scenarios" / "questions" / f"{case}.yaml"
    return qfile.parent / yaml.safe_load(qfile.read_text(encoding="utf-8"))["scenario"], qfile


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replications", type=int, default=100, metavar="N")
    parser.add_argument("--workers", type=int, default=2, metavar="W")
    args = parser.parse_args()
    full: dict[str, float] = {}
    ablated: dict[tuple[str, str], tuple[float, int]] = {}
    t0 = time.perf_counter()
    for case in CASES:
        scenario, qfile = question_file(case)
        loaded, questions, first = prepare(str(scenario), str(qfile))
        s = score(loaded, questions, first, args.replications, args.workers)
        full[case] = s.mean_brier("model")
        print(f"## {questions.file.case}\n\n{table(s)}\n")
        for name, overrides in ABLATIONS.items():
            loaded_x, questions_x, first_x = prepare(str(scenario), str(qfile), overrides)
            x = score(loaded_x, questions_x, first_x, args.replications, args.workers)
            moved = sum(abs(a["share"] - b["share"]) > 0.10 for a, b in zip(s.rows, x.rows, strict=True))
            ablated[(case, name)] = (x.mean_brier("model"), moved)
    print("## Ablations: mean Brier of the model with one mechanism off (same seeds)\n")
    print(
        "| mechanism switched off | "
        + " | ".join(f"{c} Brier (change; questions moved > 10 pts)" for c in CASES)
        + " |"
    )
    print("|---|" + "---|" * len(CASES))
    print("| none (the model as shipped) | " + " | ".join(f"{full[c]:.3f}" for c in CASES) + " |")
    for name in ABLATIONS:
        cells = []
        for c in CASES:
            b, moved = ablated[(c, name)]
            cells.append(f"{b:.3f} ({round(b - full[c], 3) + 0.0:+.3f}; {moved})")
        print(f"| {name} | " + " | ".join(cells) + " |")
    runs = len(CASES) * (1 + len(ABLATIONS)) * args.replications
    print(f"\n{runs} runs in {time.perf_counter() - t0:.0f} s on {args.workers} workers")


if __name__ == "__main__":
    main()
