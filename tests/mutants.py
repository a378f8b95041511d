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

from hypothesis import settings

ROOT = Path(__file__).resolve().parents[1]
# The property tests run derandomized (as in CI: a mutant's verdict does not depend on the examples drawn) and
# without Hypothesis's per-example deadline: on a loaded machine a slow example would count as a catch. The
# test runs load this module as a pytest plugin (`-p mutants`) so the profile exists when conftest.py loads it.
settings.register_profile("mutants", derandomize=True, deadline=None)
# The contrast tests of the mechanisms first, then the slower ones: with -x (the default) a caught mutant stops
# at its first failing test, so the tests most mutants meet first decide how long a run takes.
MODEL_TESTS = [
    "tests/test_model_contrasts.py",
    "tests/test_model_turns.py",
    "tests/test_model_accords.py",
    "tests/test_model_ripeness.py",
    "tests/test_model_combat.py",
    "tests/test_model_coalitions.py",
    "tests/test_model_places.py",
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
    (
        "M3",
        "no patron inertia",
        PHASES + "patrons.py",
        "u[:, 1] += pa.inertia\n    # At the floor",
        "u[:, 1] += 0.0\n    # At the floor",
    ),
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
        "toward = pull * (opponent_position",
        "toward = 0.0 * (opponent_position",
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
        "monitoring ignored in the chance of sanction",
        PHASES + "accords.py",
        "m = min(1.0, e.monitoring_weight * acc.monitoring)",
        "m = 0.0",
    ),
    (
        "M18",
        "no deterrence by threats on a rung",
        PHASES + "escalation.py",
        "answered(t, i, ks >= th.trigger[t])",
        "answered(t, i, ks < 0)",
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
        "if acc.violation_rounds >= collapse_rounds(st.engine.escalation, round_days):",
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
        "sim/engine/agreements.py",
        "{int(st.client[a]) for a in signatories if st.client[a] >= 0}",
        "{int(a) for a in signatories if st.client[a] == a}",
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
    # Issue 10's mechanisms and the mechanisms added with them (ripeness, partial accords, guarantees, trust
    # carried across accords, chosen commitments, red lines on territory, learning, hardening, reasons).
    (
        "M37",
        "no ripeness term in signing",
        PHASES + "signing.py",
        "ripeness = bg.ripeness_weight * ripe * cost",
        "ripeness = 0.0 * ripe * cost",
    ),
    (
        "M38",
        "ripeness without the stalemate (a moving front is ripe too)",
        "sim/kernels/ripeness.py",
        "stalemate = max(0.0, 1.0 - moved / stalemate_share)",
        "stalemate = 1.0",
    ),
    (
        "M39",
        "ripeness without the hurt (a still front is ripe without fighting)",
        "sim/kernels/ripeness.py",
        "return hurt * stalemate",
        "return stalemate",
    ),
    (
        "M40",
        "ripeness window counted in weekly rounds, not days",
        PHASES + "ripeness.py",
        "round(b.ripeness_window_days / s.round_days)",
        "round(b.ripeness_window_days / 7)",
    ),
    (
        "M41",
        "a blockade does not break an oil accord",
        PHASES + "accords.py",
        "elif acc.oil and k >= 0 and s.sides[k] == a and st.blockading[k]:",
        "elif False:",
    ),
    (
        "M42",
        "only the ceasefire accord counts as in force",
        "sim/engine/state.py",
        "return out + [a for a in self.accords.values() if a is not self.accord and a.in_force]",
        "return out",
    ),
    (
        "M43",
        "a text on oil is not an oil accord",
        PHASES + "signing.py",
        "oil=bool(np.isin(s.oil_issues, forum.issues).any()),",
        "oil=False,",
    ),
    (
        "M44",
        "a partial text replaces the truce",
        PHASES + "signing.py",
        "if covers:  # a text on the ceasefire",
        "if True:  # a text on the ceasefire",
    ),
    (
        "M45",
        "signing any text settles every refused one",
        PHASES + "signing.py",
        "if a in st.refused and set(st.refused[a][0].tolist()) <= set(forum.issues.tolist()):",
        "if a in st.refused:",
    ),
    (
        "M46",
        "a guarantee does not raise the chance of sanction",
        PHASES + "accords.py",
        "m = m + (1.0 - m) * acc.guarantee",
        "m = m + 0.0 * acc.guarantee",
    ),
    (
        "M47",
        "a guarantee does not raise trust in signing",
        PHASES + "signing.py",
        "trust = trust + (1.0 - trust) * forum.guarantee",
        "trust = trust + 0.0",
    ),
    (
        "M48",
        "trust not carried across accords (each text weighed with the starting trust)",
        PHASES + "signing.py",
        "trust = st.trust[k] if k >= 0 else 1.0",
        "trust = st.engine.adaptation.initial_trust if k >= 0 else 1.0",
    ),
    (
        "M49",
        "a commitment costs nothing",
        PHASES + "patrons.py",
        'goals["cost_aversion"][patron] * (1.0 + st.actors.domestic[patron]) * pa.commitment_cost',
        "0.0 * pa.commitment_cost",
    ),
    (
        "M50",
        "no domestic constraint on commitment",
        PHASES + "patrons.py",
        "(1.0 + st.actors.domestic[patron])",
        "(1.0 + 0.0)",
    ),
    (
        "M51",
        "no balance of resolve in commitment",
        PHASES + "patrons.py",
        'pa.resolve_weight * goals["influence"][patron],',
        '0.0 * goals["influence"][patron],',
    ),
    (
        "M52",
        "a commitment's hard limit ignored",
        PHASES + "patrons.py",
        "ch.limit[live][:, None]",
        "np.inf",
    ),
    (
        "M53",
        "commitment cost linear, not convex",
        "sim/kernels/patrons.py",
        "- np.asarray(cost)[:, None] * relative**2",
        "- np.asarray(cost)[:, None] * relative",
    ),
    (
        "M54",
        "a cut commitment leaves the support above it",
        PHASES + "patrons.py",
        "            ch.level[k] = ch.max[k]",
        "            ch.level[k] = ch.level[k]",
    ),
    (
        "M55",
        "a red line on territory triggers below the line",
        PHASES + "threats.py",
        "th.watch[t]] > th.above[t])",
        "th.watch[t]] < th.above[t])",
    ),
    (
        "M56",
        "a carried-out threat adds no force",
        PHASES + "threats.py",
        "ch.level[k] += th.mag[t] / ch.eff[k]",
        "ch.level[k] += 0.0",
    ),
    (
        "M57",
        "a channel a threat opened gets no commitment",
        PHASES + "threats.py",
        "if ch.base[k] <= 0:",
        "if False:",
    ),
    (
        "M58",
        "a red line deters only once already crossed (no expected gain of ground)",
        PHASES + "escalation.py",
        "st.theatre.control[g, w] + before[:, :, g, w] > th.above[t]",
        "st.theatre.control[g, w] + 0.0 * before[:, :, g, w] > th.above[t]",
    ),
    (
        "M59",
        "no Beta update from battles",
        PHASES + "learning.py",
        "if not st.engine.learning.on or st.fight <= 0",
        "if True or st.fight <= 0",
    ),
    (
        "M60",
        "battle share read inverted",
        "sim/kernels/learning.py",
        "return (w @ q) / w.sum()",
        "return 1.0 - (w @ q) / w.sum()",
    ),
    (
        "M61",
        "no optimism in the prior",
        "sim/kernels/learning.py",
        "m = np.minimum(np.maximum(p_forces + optimism, 0.0), 1.0)",
        "m = np.minimum(np.maximum(p_forces, 0.0), 1.0)",
    ),
    (
        "M62",
        "the belief does not replace p in signing",
        PHASES + "signing.py",
        "p_win = learning.estimate(s, st, strength)",
        "p_win = learning.contest.contest(strength, st.engine.combat.contest_exponent)",
    ),
    (
        "M63",
        "the belief does not set the rung choice",
        PHASES + "escalation.py",
        "believed_strength(strength, p_forces, p_win, c.contest_exponent)",
        "believed_strength(strength, p_forces, p_forces, c.contest_exponent)",
    ),
    (
        "M64",
        "winners soften like losers (hardening inverted)",
        PHASES + "adaptation.py",
        "toward if gained[i] < 0 else -toward",
        "toward",
    ),
    (
        "M65",
        "hardening switched off",
        PHASES + "adaptation.py",
        "(gained[i] > 0 and not harden)",
        "(gained[i] > 0)",
    ),
    (
        "M66",
        "signing's reason p is the opponent's chance",
        PHASES + "signing.py",
        '"p": pw,',
        '"p": 1.0 - pw,',
    ),
    (
        "M67",
        "a rung choice's reason gain is that of holding fire",
        PHASES + "escalation.py",
        '"gain": round(float(gain[i, k]), 4)',
        '"gain": round(float(gain[i, 0]), 4)',
    ),
    (
        "M68",
        "a rung choice's reason cost without weariness",
        PHASES + "escalation.py",
        '"cost": round(float(ac.goals["cost_aversion"][b] * weariness(st) * s.ladder_cost[k]), 4)',
        '"cost": round(float(ac.goals["cost_aversion"][b] * s.ladder_cost[k]), 4)',
    ),
    (
        "M69",
        "a threat's reason control is the other side's",
        PHASES + "threats.py",
        "st.theatre.control[th.region[t], th.watch[t]]), 4)",
        "st.theatre.control[th.region[t], 1 - th.watch[t]]), 4)",
    ),
    # Issue 16's combat kernel in the model (quality, posture, casualties, learning from the battles).
    (
        "M70",
        "no quality",
        "sim/engine/derived.py",
        "forces = forces * st.actors.quality[s.on_side]",
        "forces = forces * 1.0",
    ),
    ("M71", "no attacker's edge (posture)", "sim/kernels/contest.py", "attacks=edge", "attacks=0.0 * edge"),
    (
        "M72",
        "casualties do not feed weariness",
        PHASES + "resolution.py",
        "st.hurt += float(loss @ forces / forces.sum())",
        "st.hurt += 0.0",
    ),
    (
        "M73",
        "learning ignores the battle results",
        "sim/kernels/learning.py",
        "q = result[contested]",
        "q = np.full_like(result[contested], 0.5)",
    ),
    # Issue 16's coalitions: the side's intensity, a member's signature, the members' weights.
    (
        "M74",
        "a coalition fights at its lead's rung only",
        "sim/engine/derived.py",
        "return np.where(s.coalition & (total > 0), mean, lead)",
        "return lead",
    ),
    (
        "M75",
        "a coalition's text needs every member's signature",
        PHASES + "signing.py",
        "sides_signed[k] = sides_signed.get(k, False) or a in forum.signed",
        "sides_signed[k] = sides_signed.get(k, True) and a in forum.signed",
    ),
    (
        "M76",
        "a member's weight ignores its quality",
        "sim/engine/derived.py",
        "power = st.actors.forces[fighters] * st.actors.quality[fighters]",
        "power = st.actors.forces[fighters]",
    ),
    # Issue 16's forces in places.
    (
        "M77",
        "forces everywhere at once: each battle sees a unit's whole strength, not its share there",
        "sim/kernels/contest.py",
        "return np.asarray(place, float).T @",
        "return (np.asarray(place, float) > 0).T @",
    ),
]


def copy_tree(dest: Path) -> None:
    skip = shutil.ignore_patterns("__pycache__", ".hypothesis", ".pytest_cache")
    for name in ("sim", "tests", "scenarios"):
        shutil.copytree(ROOT / name, dest / name, ignore=skip)
    shutil.copy2(ROOT / "pyproject.toml", dest / "pyproject.toml")


def run_tests(tree: Path, first: bool, tests: list[str]) -> tuple[int, list[str]]:
    """(pytest's exit code, the tests that failed) in `tree`; `sim` is imported from the tree, not the venv."""
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(tree), str(ROOT / "tests")]),
        "PYTHONDONTWRITEBYTECODE": "1",
        "HYPOTHESIS_PROFILE": "mutants",
    }
    cmd = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "mutants", "--tb=no", "-rf"]
    cmd += tests
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
    parser.add_argument(
        "--tests",
        nargs="*",
        default=MODEL_TESTS,
        help="run only these test files (a mutant caught by some of the model tests is caught by all of them)",
    )
    args = parser.parse_args()
    named = {m[0]: m for m in MUTANTS}
    chosen = [named[n] for n in args.only if n in named] if args.only else MUTANTS  # in the order given
    unknown = set(args.only or ()) - set(named)
    problems = [f"no mutant named {name}" for name in sorted(unknown)] + [
        f"{name} ({file}): the text to replace occurs {n} times, not once"
        for name, _, file, old, _ in chosen
        if (n := (ROOT / file).read_text().count(old)) != 1
    ]
    if problems:  # every stale or ambiguous break at once, before any test runs
        print("\n".join(problems))
        return 2
    start = time.perf_counter()
    survived = []
    with tempfile.TemporaryDirectory(prefix="stakesim-mutants-") as tmp:
        tree = Path(tmp)
        copy_tree(tree)
        code, failed = run_tests(tree, first=True, tests=args.tests)
        if code != 0:
            print(f"the model tests fail without any mutant: {failed or code}")
            return 2
        print(f"{'mutant':<6} {'failing':>9}  what it breaks -> the tests that fail")
        for name, what, file, old, new in chosen:
            path = tree / file
            original = path.read_text()
            path.write_text(original.replace(old, new))
            try:
                code, failed = run_tests(tree, first=not args.all, tests=args.tests)
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
