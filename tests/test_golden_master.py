"""Every shipped scenario x seeds 0..9 gives exactly the results recorded in tests/golden/master.json."""

import json

import golden_master as gm
import pytest

MASTER = json.loads(gm.MASTER.read_text())


def test_the_master_covers_every_shipped_scenario_and_seed():
    assert set(MASTER) == {f"{p.name}@{s}" for p in gm.scenarios() for s in gm.SEEDS}


@pytest.mark.parametrize("key", sorted(MASTER))
def test_results_are_bit_identical_to_the_golden_master(key):
    name, seed = key.rsplit("@", 1)
    assert gm.fingerprint(gm.ROOT / "scenarios" / name, int(seed)) == MASTER[key], (
        f"{key}: results changed. If meant, run `python tests/golden_master.py --update` and say why in the commit."
    )
