"""The golden master: the exact results of every shipped conflict scenario for seeds 0..9.

For each run, the SHA-256 of its `rounds.csv` and `events.jsonl` text (docs/FORMATS.md) is kept in
`tests/golden/master.json`. `make test` compares them (tests/test_golden_master.py), so a refactor that changes
any number of any run fails. A change of results that is meant updates the file in the same commit, with the
reason in the commit message:

    .venv/bin/python tests/golden_master.py --update
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MASTER = ROOT / "tests" / "golden" / "master.json"
SEEDS = range(10)


def scenarios() -> list[Path]:
    """Every shipped conflict scenario (the plain bargaining cases of scenarios/forecast/ are not runs)."""
    return sorted((ROOT / "scenarios").glob("*.yaml"))


def fingerprint(path: Path, seed: int) -> dict[str, str]:
    from sim.model import run_model
    from sim.outputs import events_jsonl, rounds_csv

    model = run_model(str(path), seed=seed, collect=True)
    return {
        "rounds.csv": hashlib.sha256(rounds_csv(model).encode()).hexdigest(),
        "events.jsonl": hashlib.sha256(events_jsonl(model).encode()).hexdigest(),
    }


def current() -> dict[str, dict[str, str]]:
    return {f"{p.name}@{seed}": fingerprint(p, seed) for p in scenarios() for seed in SEEDS}


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--update", action="store_true", help="rewrite tests/golden/master.json")
    args = parser.parse_args()
    now = current()
    if args.update:
        MASTER.write_text(json.dumps(now, indent=1, sort_keys=True) + "\n")
        print(f"wrote {len(now)} runs to {MASTER.relative_to(ROOT)}")
        return 0
    old = json.loads(MASTER.read_text())
    differ = sorted(k for k in now.keys() | old.keys() if now.get(k) != old.get(k))
    print(f"{len(now)} runs, {len(differ)} differ" + "".join(f"\n  {k}" for k in differ))
    return 1 if differ else 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main())
