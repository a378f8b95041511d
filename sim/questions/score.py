"""Scores of a question file over seeded replications of a scenario, beside the two baselines (same run).

Per question: the share of replications in which it holds with its 95% Wilson interval, the observed answer,
and Brier scores (forecast - outcome)^2 of the model's share and of each baseline's yes/no (a baseline is one
deterministic run, so its forecast is 0 or 1). Overall: the mean Brier score over the questions; a coin flip
(0.5 everywhere) scores 0.25.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sim.questions.baselines import nothing_changes, stronger_side, stronger_side_wins
from sim.questions.evaluate import Trace, holds
from sim.questions.load import LoadedQuestions
from sim.scenario import LoadedScenario

BASELINES = ("nothing_changes", "stronger_side_wins")


@dataclass
class Scores:
    scenario: str
    replications: int
    base_seed: int
    stronger_side: str
    rows: list[dict] = field(default_factory=list)

    def mean_brier(self, key: str) -> float:
        return sum(r["brier"][key] for r in self.rows) / len(self.rows)

    def as_dict(self) -> dict:
        return {
            "scenario": self.scenario,
            "replications": self.replications,
            "base_seed": self.base_seed,
            "stronger_side": self.stronger_side,
            "questions": self.rows,
            "mean_brier": {k: self.mean_brier(k) for k in ("model", *BASELINES)},
        }


def answers(trace: Trace, questions: LoadedQuestions) -> list[bool]:
    return [holds(q.when, trace, q.date) for q in questions.questions]


def _replicate(task: tuple) -> list[bool]:
    """One replication's answers (module level so a process pool can pickle it)."""
    from sim.model import run_model

    loaded, seed, questions = task
    model = run_model(loaded, seed=seed, collect=False)
    return answers(Trace(model.history, model.events, loaded.scenario), questions)


def replicate(
    loaded: LoadedScenario, questions: LoadedQuestions, seeds: list[int], workers: int
) -> list[list[bool]]:
    """Each seed's answers, in seed order; the same on any number of workers."""
    tasks = [(loaded, s, questions) for s in seeds]
    if workers <= 1:
        return [_replicate(t) for t in tasks]
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) as pool:
        return list(pool.map(_replicate, tasks, chunksize=max(1, len(tasks) // (4 * workers))))


def score(
    loaded: LoadedScenario,
    questions: LoadedQuestions,
    first_row: dict,
    n: int,
    workers: int = 1,
    base_seed: int | None = None,
) -> Scores:
    """Model shares over `n` replications (seeds spawned from the scenario's seed, as `run --replications`)
    and both baselines built from `first_row` (the run's round-0 row)."""
    from sim.sweep.analysis import wilson
    from sim.sweep.designs import run_seed

    spec = loaded.scenario
    base = spec.seed if base_seed is None else base_seed
    runs = replicate(loaded, questions, [run_seed(base, i) for i in range(n)], workers)
    baseline = {
        "nothing_changes": answers(nothing_changes(first_row, spec), questions),
        "stronger_side_wins": answers(stronger_side_wins(first_row, spec), questions),
    }
    out = Scores(spec.name, n, base, stronger_side(first_row, spec))
    for i, q in enumerate(questions.questions):
        k = sum(run[i] for run in runs)
        lo, hi = wilson(k, n)
        o = float(q.observed)
        p = k / n
        out.rows.append(
            {
                "id": q.id,
                "text": q.text,
                "observed": q.observed,
                "yes": k,
                "share": p,
                "ci95": [float(lo), float(hi)],
                "baselines": {b: baseline[b][i] for b in BASELINES},
                "brier": {"model": (p - o) ** 2, **{b: (float(baseline[b][i]) - o) ** 2 for b in BASELINES}},
            }
        )
    return out


def table(s: Scores) -> str:
    """The scores as a Markdown table, one line per question and a line of mean Brier scores."""
    lines = [
        f"{s.scenario}: {s.replications} replications from base seed {s.base_seed}; stronger side at round 0:"
        f" {s.stronger_side}",
        "",
        "| question | observed | model yes [95% Wilson] | Brier model | nothing changes | stronger side wins |",
        "|---|---|---|---|---|---|",
    ]

    def yn(b: bool) -> str:
        return "yes" if b else "no"

    for r in s.rows:
        lo, hi = r["ci95"]
        lines.append(
            f"| {r['id']} | {yn(r['observed'])} | {r['share']:.0%} [{lo:.0%}, {hi:.0%}] | {r['brier']['model']:.3f}"
            f" | {yn(r['baselines']['nothing_changes'])} ({r['brier']['nothing_changes']:.0f})"
            f" | {yn(r['baselines']['stronger_side_wins'])} ({r['brier']['stronger_side_wins']:.0f}) |"
        )
    lines.append(
        f"| **mean Brier** (coin flip 0.250) | | | **{s.mean_brier('model'):.3f}** |"
        f" **{s.mean_brier('nothing_changes'):.3f}** | **{s.mean_brier('stronger_side_wins'):.3f}** |"
    )
    return "\n".join(lines)
