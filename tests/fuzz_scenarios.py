"""The promise of `validate`, fuzzed: a file it accepts runs to its end with finite outputs.

A seeded mutator changes the shipped scenarios (their merged documents) the ways a careless or hostile user
would: numbers swapped for extremes (0, 1e308, 1e-300, .inf, .nan, the schema's bounds), for text ('150',
`2e2`) and for booleans; keys deleted, renamed and added; sections emptied; list items duplicated; dates at
the calendar's end. Each mutant is then

- validated as `run.py validate` does (sim.cli.scenario: the schema, the cross-reference checks and, for a
  case with belligerents, the model's own run check): only ScenarioError may come out, and every problem
  but a whole-document one (no field path) carries a line;
- if accepted and it has belligerents, run to its end (every round of its clock, at most MAX_ROUNDS) and
  its rounds.csv, events.jsonl and summary.json rendered: no exception, and no inf or NaN anywhere.

    .venv/bin/python tests/fuzz_scenarios.py --mutants 5000 --seed 0     # `make fuzz`

prints the counts and exits 1 if any mutant broke the promise. tests/test_scenario_fuzz_runs.py runs a few
hundred in `make test`.
"""

from __future__ import annotations

import argparse
import copy
import csv
import datetime as dt
import io
import json
import math
import random
import sys
import time
import traceback
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sim.cli.scenario import runnable  # noqa: E402
from sim.scenario import ScenarioError, load_scenario, load_scenario_text  # noqa: E402

MAX_ROUNDS = 520  # ten years of weekly rounds: a mutant's clock of 10,000 rounds is cut here, for time
SCENARIOS = sorted(
    p for p in (ROOT / "scenarios").rglob("*.yaml") if "sweeps" not in p.parts and "questions" not in p.parts
)

NUMBERS: list[Any] = [
    0, 0.0, -1, -0.5, 1, 0.5, 1.5, 2, 3, 7, 52, 100, 1000, 10_000, 1_000_000, 10**9, 10**30, 1e-300, 1e-4,
    1e-3, 1e308, -1e308, math.inf, -math.inf, math.nan, 0.999999, 1.000001, 9.0,
]  # fmt: skip
OTHERS: list[Any] = [
    "150", "2e2", "lots", "", True, False, None, [], {}, [1, 2], {"a": 1}, dt.date(9999, 12, 31),
    dt.date(1, 1, 1), "GNA", "LNA", "x" * 40,
]  # fmt: skip
# Plain scalars as YAML text, put in place of a number in the text (the loader's own reading of each).
TOKENS = [
    "2e2",
    "1e308",
    "9e-1",
    "1E3",
    ".inf",
    "-.inf",
    ".nan",
    "'150'",
    "true",
    "~",
    "0x1F",
    "1_000",
    "1e999",
]


@dataclass
class Tally:
    mutants: int = 0
    rejected: int = 0
    accepted: int = 0
    ran: int = 0
    rounds: int = 0
    tracebacks: int = 0
    unlocated: int = 0
    non_finite: int = 0
    failures: list[str] = field(default_factory=list)
    kinds: Counter = field(default_factory=Counter)

    @property
    def broken(self) -> int:
        return self.tracebacks + self.unlocated + self.non_finite

    def report(self, seconds: float) -> str:
        lines = [
            f"{self.mutants} mutants in {seconds:.1f} s: {self.rejected} rejected by validate, {self.accepted}"
            f" accepted, {self.ran} of them run ({self.rounds} rounds in all)",
            f"tracebacks: {self.tracebacks}; problems without a line: {self.unlocated};"
            f" runs with non-finite outputs: {self.non_finite}",
            "mutations: " + ", ".join(f"{k} {n}" for k, n in sorted(self.kinds.items())),
        ]
        return "\n".join(lines + [f"  {f}" for f in self.failures[:10]])


def documents() -> list[dict]:
    return [load_scenario(p).data for p in SCENARIOS]


def _leaves(node: Any, prefix: tuple = ()) -> list[tuple]:
    out = [prefix]
    if isinstance(node, dict):
        for k, v in node.items():
            out += _leaves(v, (*prefix, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out += _leaves(v, (*prefix, i))
    return out


def _parent(data: Any, path: tuple) -> tuple[Any, Any]:
    node = data
    for part in path[:-1]:
        node = node[part]
    return node, path[-1]


def mutate(rng: random.Random, data: dict, kinds: Counter) -> str:
    """Apply 1-3 mutations to `data` (in place) and return it as YAML text, perhaps mangled textually."""
    for _ in range(rng.randint(1, 3)):
        paths = [p for p in _leaves(data) if p]
        path = rng.choice(paths)
        parent, key = _parent(data, path)
        value = parent[key]
        numeric = isinstance(value, int | float) and not isinstance(value, bool)
        op = rng.choice(
            [
                "scale",
                "scale",
                "number",
                "number",
                "other",
                "delete",
                "empty",
                "duplicate",
                "rename",
                "add_key",
            ]
        )
        if op in ("number", "scale") and not numeric:
            numeric_paths = [p for p in paths if isinstance(_get(data, p), int | float)]
            if numeric_paths:
                parent, key = _parent(data, rng.choice(numeric_paths))
        if op == "number":
            parent[key] = rng.choice(NUMBERS)
        elif op == "scale" and isinstance(parent[key], int | float) and not isinstance(parent[key], bool):
            # extreme but often valid: the same number 0, 10, 1000 or 10^6 times over
            factor = rng.choice([0, 0.5, 2, 10, 1000, 10**6])
            parent[key] = type(parent[key])(parent[key] * factor)
        elif op == "other":
            parent[key] = copy.deepcopy(rng.choice(OTHERS))
        elif op == "delete":
            del parent[key]
        elif op == "empty" and isinstance(value, dict | list):
            parent[key] = type(value)()
        elif op == "duplicate" and isinstance(parent, list):
            parent.append(copy.deepcopy(value))
        elif op == "rename" and isinstance(parent, dict):
            parent[rng.choice([f"{key}x", str(key)[:-1] or "k", str(key).upper()])] = parent.pop(key)
        elif op == "add_key" and isinstance(value, dict):
            value[rng.choice(["extra", "id", "kind", "level", "value"])] = rng.choice(NUMBERS + OTHERS)
        else:  # the operation does not apply here (a plain value cannot be emptied): replace it instead
            op = "other"
            parent[key] = copy.deepcopy(rng.choice(OTHERS))
        kinds[op] += 1
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
    if rng.random() < 0.3:
        kinds["text"] += 1
        lines = text.splitlines(keepends=True)
        numbered = [i for i, line in enumerate(lines) if _number_at_end(line)]
        for i in rng.sample(numbered, min(len(numbered), rng.randint(1, 2))):
            head = lines[i].rstrip("\n").rsplit(" ", 1)[0]
            lines[i] = f"{head} {rng.choice(TOKENS)}\n"
        text = "".join(lines)
    return text


def _get(data: Any, path: tuple) -> Any:
    node = data
    for part in path:
        node = node[part]
    return node if not isinstance(node, bool) else None


def _number_at_end(line: str) -> bool:
    last = line.rstrip("\n").rsplit(" ", 1)[-1]
    try:
        float(last)
    except ValueError:
        return False
    return ": " in line


def _finite_csv(text: str) -> bool:
    for row in csv.reader(io.StringIO(text)):
        for cell in row:
            if cell.lower() in ("inf", "-inf", "nan"):
                return False
    return True


def check(text: str, tally: Tally, label: str, seed: int) -> None:
    """Validate one mutant as `validate` does and, if accepted, run it: tally what happened."""
    from sim.model import run_model
    from sim.outputs import events_jsonl, rounds_csv, summary, to_json

    tally.mutants += 1
    try:
        loaded = load_scenario_text(text, "mutant.yaml")
        runnable(loaded)
    except ScenarioError as exc:
        tally.rejected += 1
        unlocated = [p for p in exc.problems if p.line is None and p.path and not p.file.startswith("--set")]
        if unlocated or not exc.problems:
            tally.unlocated += 1
            tally.failures.append(f"{label}: no line: {unlocated[:1] or 'no problems'}")
        return
    except Exception:
        tally.tracebacks += 1
        tally.failures.append(f"{label}: validate: {traceback.format_exc(limit=-1).strip().splitlines()[-1]}")
        return
    tally.accepted += 1
    s = loaded.scenario
    if not any(a.role == "belligerent" for a in s.actors.values()):
        return
    try:
        model = run_model(loaded, seed=seed, max_rounds=min(s.clock.max_rounds, MAX_ROUNDS), collect=False)
        files = (rounds_csv(model), events_jsonl(model), to_json(summary(model)))
        json.loads(files[2])
    except ValueError as exc:
        if "JSON compliant" in str(exc):
            tally.non_finite += 1
            tally.failures.append(f"{label}: non-finite JSON: {exc}")
            return
        tally.tracebacks += 1
        tally.failures.append(f"{label}: run: {traceback.format_exc(limit=-1).strip().splitlines()[-1]}")
        return
    except Exception:
        tally.tracebacks += 1
        tally.failures.append(f"{label}: run: {traceback.format_exc(limit=-1).strip().splitlines()[-1]}")
        return
    tally.ran += 1
    tally.rounds += model.round
    if not _finite_csv(files[0]):
        tally.non_finite += 1
        tally.failures.append(f"{label}: non-finite cell in rounds.csv")


def fuzz(mutants: int, seed: int, keep: Path | None = None) -> Tally:
    """Make and check `mutants` mutants from master seed `seed`; mutant i depends only on (seed, i)."""
    import warnings

    warnings.simplefilter("ignore", RuntimeWarning)  # numpy's overflow notes; a non-finite output is counted
    bases = documents()
    tally = Tally()
    for i in range(mutants):
        rng = random.Random(f"{seed}:{i}")
        data = copy.deepcopy(rng.choice(bases))
        text = mutate(rng, data, tally.kinds)
        before = tally.broken
        check(text, tally, f"mutant {seed}:{i}", seed=rng.randrange(2**32))
        if keep is not None and tally.broken > before:
            keep.mkdir(parents=True, exist_ok=True)
            (keep / f"mutant-{seed}-{i}.yaml").write_text(text, encoding="utf-8")
    return tally


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mutants", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--keep", type=Path, help="write each mutant that broke the promise into this folder")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    tally = fuzz(args.mutants, args.seed, args.keep)
    print(tally.report(time.perf_counter() - start))
    return 1 if tally.broken else 0


if __name__ == "__main__":
    sys.exit(main())
