"""Mutation check of the model tests: every one-line break of a mechanism must make some model test fail.

    .venv/bin/python tests/mutants.py [--all] [--only NAME ...]        (or `make mutants`)

Each mutant below replaces one piece of code (it must occur exactly once in its file) in a temporary copy of
the tree. The model tests (MODEL_TESTS, without the golden master, which fails on any change of results) run
there and the mutant is reported with the test that caught it first (with --all: every test that fails). The exit code is 1 if any mutant survives.
M1-M11 are the breaks tried in the architecture review (issue 9); M2 is now the reverse of that review's,
because the code limits climbing only.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MODEL_TESTS = [  # fastest first: with -x (the default) a caught mutant stops at its first failing test
    "tests/test_model_contrasts.py",
    "tests/test_model_combat.py",
    "tests/test_model_fixes.py",
    "tests/test_model_kernels.py",
    "tests/test_model_mechanisms.py",
    "tests/test_model.py",
    "tests/test_model_libya.py",
]
PHASES = "sim/engine/phases/"

# (name, what it breaks, file, old text, new text)
MUTANTS = [
    (
        "M1",
        "blockade inertia: no -inertia for a side not blockading",
        "sim/kernels/economy.py",
        "(inertia if blockading_now else -inertia)",
        "(inertia if blockading_now else 0.0)",
    ),
    (
        "M2",
        "max_step limits descent too (the rule before issue 9)",
        PHASES + "escalation.py",
        "(ks[None, :] - rungs[:, None] <= e.max_step)",
        "(np.abs(ks[None, :] - rungs[:, None]) <= e.max_step)",
    ),
    ("M3", "no patron inertia", PHASES + "patrons.py", "u[:, 1] += pa.inertia", "u[:, 1] += 0.0"),
    (
        "M4",
        "no trust gain in a round kept",
        PHASES + "accords.py",
        "st.trust[i] + ad.trust_gain_per_round_kept",
        "st.trust[i]",
    ),
    (
        "M5",
        "no adaptation",
        PHASES + "adaptation.py",
        "positions[b, q] += pull *",
        "positions[b, q] += 0.0 *",
    ),
    ("M6", "no clash aversion", PHASES + "patrons.py", "- (clash(st, d, live) / top)", "- (0.0 / top)"),
    (
        "M7",
        "forum monitoring ignored in signing",
        PHASES + "signing.py",
        "(1.0 - trust) * forum.monitoring",
        "(1.0 - trust) * 0.0",
    ),
    (
        "M8",
        "no casualties",
        PHASES + "resolution.py",
        "loss = c.battles_per_round * level",
        "loss = 0.0 * level",
    ),
    (
        "M9",
        "no betrayal cost",
        "sim/kernels/settlement.py",
        "(1.0 - trust) * betrayal * war_cost",
        "(1.0 - trust) * 0.0 * war_cost",
    ),
    (
        "M10",
        "no danger in the patron's utility",
        PHASES + "patrons.py",
        'goals["influence"][patron] * danger_of[side]',
        'goals["influence"][patron] * 1.0',
    ),
    (
        "M11",
        "no oil-revenue cost in signing",
        PHASES + "signing.py",
        'cost += ac.goals["oil_access"][a] * st.revenue_loss_share[k]',
        "cost += 0.0",
    ),
    (
        "M12",
        "weariness off",
        "sim/engine/derived.py",
        "return 1.0 + st.engine.escalation.weariness * st.hurt",
        "return 1.0",
    ),
    (
        "M13",
        "no terrain or fortification (the holder's multiplier)",
        "sim/kernels/contest.py",
        "np.asarray(defence, float)[:, None] ** control",
        "np.asarray(defence, float)[:, None] ** 0.0",
    ),
    (
        "M14",
        "the holder's multiplier inverted (the attacker has it)",
        "sim/kernels/contest.py",
        "np.asarray(defence, float)[:, None] ** control",
        "np.asarray(defence, float)[:, None] ** (1.0 - control)",
    ),
    (
        "M15",
        "casualties inverted (the winner loses more)",
        "sim/kernels/contest.py",
        "out.attacker_casualty_fraction, fight",
        "out.defender_casualty_fraction, fight",
    ),
    (
        "M16",
        "no truce penalty",
        "sim/kernels/escalation.py",
        "np.where(breaks, u - penalty, u)",
        "np.where(breaks, u, u)",
    ),
    (
        "M17",
        "truce monitoring ignored in escalation",
        PHASES + "escalation.py",
        "m = min(1.0, e.monitoring_weight * st.accord.monitoring)",
        "m = 0.0",
    ),
    (
        "M18",
        "no deterrence by threats",
        PHASES + "escalation.py",
        "e.deterrence_weight * th.cred[t]",
        "0.0 * th.cred[t]",
    ),
    (
        "M19",
        "compellence without a demand",
        PHASES + "coercion.py",
        "able = held[i] > 0 and (dissatisfaction > 0 or st.blockading[i])",
        "able = held[i] > 0",
    ),
    (
        "M20",
        "blockade utility ignores dissatisfaction",
        "sim/kernels/economy.py",
        "leverage_weight * dissatisfaction * held_oil",
        "leverage_weight * held_oil",
    ),
    (
        "M21",
        "no trust loss on a violation",
        PHASES + "accords.py",
        "st.trust[i] - ad.trust_loss_per_violation * len(others)",
        "st.trust[i]",
    ),
    (
        "M22",
        "trust ignored in signing",
        PHASES + "signing.py",
        "trust = st.trust[k] if k >= 0 else 1.0",
        "trust = 1.0",
    ),
    (
        "M23",
        "an accord never collapses",
        PHASES + "accords.py",
        "if acc.violation_rounds >= st.engine.escalation.collapse_violations:",
        "if False:",
    ),
    (
        "M24",
        "no defeat",
        PHASES + "stop.py",
        "own[i] < rule.defeat_share * s.initial_forces[i]",
        "own[i] < 0.0",
    ),
    (
        "M25",
        "no durable agreement",
        PHASES + "stop.py",
        "acc.held_rounds >= rule.durability_rounds",
        "acc.held_rounds >= 10**9",
    ),
    (
        "M26",
        "last-round labels swapped",
        PHASES + "stop.py",
        '"agreement_holding" if acc.in_force else "agreement_collapsed"',
        '"agreement_collapsed" if acc.in_force else "agreement_holding"',
    ),
    (
        "M27",
        "mutual exhaustion labelled side_defeated",
        PHASES + "stop.py",
        '"mutual_exhaustion" if not alive else "side_defeated"',
        '"side_defeated"',
    ),
    (
        "M28",
        "no patron pressure in signing",
        PHASES + "signing.py",
        "pressure += leverage * (1.0 - d_deal - u_war)",
        "pressure += 0.0",
    ),
    (
        "M29",
        "a patron at its floor counts 'stay' twice (the bug before issue 9)",
        PHASES + "patrons.py",
        "np.where(options[:, ::2] == level[:, None], -np.inf, u[:, ::2])",
        "u[:, ::2]",
    ),
    (
        "M30",
        "events bind the arrays of round 0 (the bug before issue 9)",
        "sim/engine/bindings.py",
        "array = partial(table.__getitem__, name) if isinstance(table, dict) else partial(getattr, table, name)",
        "array = (lambda a: lambda: a)(table[name] if isinstance(table, dict) else getattr(table, name))",
    ),
    (
        "M31",
        "an accord binds only its belligerent signatories (the bug before issue 9)",
        "sim/engine/state.py",
        "{st.sides[st.side_of[a]] for a in signatories if st.side_of[a] >= 0}",
        "{a for a in signatories if a in st.sides}",
    ),
    (
        "M32",
        "no grievance in rung utility",
        "sim/kernels/escalation.py",
        "u = gain + grievance * intensity - cost_aversion * cost",
        "u = gain - cost_aversion * cost",
    ),
    (
        "M33",
        "rungs cost nothing",
        "sim/kernels/escalation.py",
        "u = gain + grievance * intensity - cost_aversion * cost",
        "u = gain + grievance * intensity",
    ),
    (
        "M34",
        "a called threat keeps its credibility",
        PHASES + "threats.py",
        "th.cred[t] = 0.0",
        "th.cred[t] = th.cred[t]",
    ),
    (
        "M35",
        "fighting disrupts no oil",
        PHASES + "economy.py",
        "economy.disruption(te.contested, st.fight, ec.fighting_disruption)",
        "economy.disruption(te.contested, st.fight, 0.0)",
    ),
    (
        "M36",
        "no mediation",
        PHASES + "negotiation.py",
        "x[forum.pulled] += forum.mediation_strength *",
        "x[forum.pulled] += 0.0 *",
    ),
    (
        "M37",
        "no quality",
        "sim/engine/derived.py",
        "forces = forces * st.actors.quality[s.on_side]",
        "forces = forces * 1.0",
    ),
    ("M38", "no attacker's edge (posture)", "sim/kernels/contest.py", "attacks=edge", "attacks=0.0 * edge"),
    (
        "M39",
        "casualties do not feed weariness",
        PHASES + "resolution.py",
        "st.hurt += float(loss @ forces / forces.sum())",
        "st.hurt += 0.0",
    ),
    (
        "M40",
        "learning ignores the battle results",
        "sim/kernels/learning.py",
        "q = result[contested]",
        "q = np.full_like(result[contested], 0.5)",
    ),
]


def copy_tree(dest: Path) -> None:
    skip = shutil.ignore_patterns("__pycache__", ".hypothesis", ".pytest_cache")
    for name in ("sim", "tests", "scenarios"):
        shutil.copytree(ROOT / name, dest / name, ignore=skip)
    shutil.copy2(ROOT / "pyproject.toml", dest / "pyproject.toml")


def run_tests(tree: Path, first: bool) -> tuple[int, list[str]]:
    """(pytest's exit code, the tests that failed) in `tree`; `sim` is imported from the tree, not the venv."""
    env = {**os.environ, "PYTHONPATH": str(tree), "PYTHONDONTWRITEBYTECODE": "1"}
    cmd = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--tb=no", "-rf", *MODEL_TESTS]
    if first:
        cmd.append("-x")
    out = subprocess.run(cmd, cwd=tree, env=env, capture_output=True, text=True)
    return out.returncode, re.findall(r"^FAILED (\S+)", out.stdout, re.M)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="*", help="run only these mutants (e.g. M3 M8)")
    parser.add_argument(
        "--all", action="store_true", help="run every model test on each mutant, not to the first failure"
    )
    args = parser.parse_args()
    chosen = [m for m in MUTANTS if not args.only or m[0] in args.only]
    start = time.perf_counter()
    survived = []
    with tempfile.TemporaryDirectory(prefix="stakesim-mutants-") as tmp:
        tree = Path(tmp)
        copy_tree(tree)
        code, failed = run_tests(tree, first=True)
        if code != 0:
            print(f"the model tests fail without any mutant: {failed or code}")
            return 2
        print(f"{'mutant':<6} {'failing':>9}  what it breaks -> the tests that fail")
        for name, what, file, old, new in chosen:
            path = tree / file
            original = path.read_text()
            if original.count(old) != 1:
                print(f"{name:<6} {'?':>9}  {file}: the text to replace occurs {original.count(old)} times")
                return 2
            path.write_text(original.replace(old, new))
            try:
                code, failed = run_tests(tree, first=not args.all)
            finally:
                path.write_text(original)
            caught = len(failed) if failed else (1 if code != 0 else 0)
            if caught == 0:
                survived.append(name)
            shown = ", ".join(f.split("::")[-1] for f in failed[:3]) + (" ..." if len(failed) > 3 else "")
            print(
                f"{name:<6} {caught:>9}  {what} -> {shown or ('SURVIVED' if not caught else f'exit {code}')}"
            )
    print(
        f"\n{len(chosen) - len(survived)} of {len(chosen)} mutants caught"
        + (f"; survived: {', '.join(survived)}" if survived else "")
        + f" ({time.perf_counter() - start:.0f} s)"
    )
    return 1 if survived else 0


if __name__ == "__main__":
    sys.exit(main())
