"""Forces in places (docs/MODEL.md section 6): each side's strength is divided among the contested regions
before each region's battle, equally by default (Cederman's GeoSim), or as an actor's `deploy` names; support
stands where its recipient's forces do. A side that concentrates where it attacks wins that region faster than
the same side spread evenly (Lanchester's concentration; Mearsheimer's local superiority). Each test fails
with the division taken out."""

from __future__ import annotations

import numpy as np
import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st_
from model_support import DUEL, duel

from sim.engine.derived import placed, strength
from sim.engine.phases import resolution
from sim.kernels import combat, contest
from sim.model import ConflictModel
from sim.scenario import ScenarioError, load_scenario_text

A, B = 0, 1
FRONT, RIDGE = 0, 3  # the duel's front and the second front added here
TWO_FRONTS = {
    "theatre.regions.ridge": {
        "name": "Ridge",
        "population": 0.0,
        "contested": True,
        "control": {"A": 0.5, "B": 0.5},
    }
}


def model_of(changes: dict) -> ConflictModel:
    return ConflictModel(scenario=duel({**TWO_FRONTS, **changes}), rng=1)


def fought(changes: dict, rounds: int, seed: int) -> np.ndarray:
    """Control (R, S) after `rounds` of fighting with both sides attacking at full intensity."""
    model = model_of(changes)
    s, st, d = model.structure, model.state, model.derived
    rng = np.random.default_rng(seed)
    for r in range(1, rounds + 1):
        st.actors.rung[[A, B]] = 2
        resolution.fight(s, st, d, rng, model.log, r)
    return st.theatre.control


def test_the_default_spreads_each_unit_equally_over_the_fronts():
    fronts = np.array([True, False, True, True])
    w = contest.placement(np.full((2, 4), np.nan), fronts)
    assert w.tolist() == [[1 / 3, 0.0, 1 / 3, 1 / 3]] * 2


def test_named_shares_stand_and_the_rest_spreads_over_the_other_fronts():
    fronts = np.array([True, False, True, True])
    named = np.array([[0.6, np.nan, np.nan, np.nan], [0.5, 0.5, np.nan, 0.2]])
    w = contest.placement(named, fronts)
    assert w[0] == pytest.approx([0.6, 0.0, 0.2, 0.2])
    assert w[1] == pytest.approx([0.5, 0.0, 0.3, 0.2])
    # the share named for a region that is no front goes to the others; with no unnamed front left, the
    # named shares are scaled to 1 (every man fights somewhere)
    every = contest.placement(np.array([[0.3, 0.4, 0.2, 0.1]]), fronts)
    assert every[0] == pytest.approx([0.5, 0.0, 1 / 3, 1 / 6])


@given(
    st_.lists(st_.one_of(st_.none(), st_.floats(0.0, 0.5)), min_size=4, max_size=4),
    st_.lists(st_.booleans(), min_size=4, max_size=4),
)
def test_placement_puts_every_unit_on_the_fronts_and_nowhere_else(shares, fronts):
    named = np.array([[np.nan if v is None else v for v in shares]])
    front = np.array(fronts)
    w = contest.placement(named, front)
    assert (w >= 0).all() and (w[:, ~front] == 0).all()
    some = (~np.isnan(named[0]) & front & (named[0] > 0)).any() or (np.isnan(named[0]) & front).any()
    if some:
        assert w.sum() == pytest.approx(1.0)
    power = np.array([7.0])
    assert contest.deployed(power, np.array([0]), w, 2)[:, 0].sum() == pytest.approx(7.0 * w.sum())


def test_an_even_spread_keeps_the_ratio_and_fights_smaller_battles():
    """Equal forces spread over two fronts: each battle is the whole-strength battle at half the men, so the
    chance of winning is unchanged, and the kernel's size term (in CDB90 smaller battles cost a smaller
    fraction) scales the casualty fraction by 2^eta."""
    model = model_of({})
    s, st, d = model.structure, model.state, model.derived
    power, where = placed(s, st, d)
    assert power[FRONT].tolist() == power[RIDGE].tolist() == [10.0, 10.0]
    assert (where[:, [FRONT, RIDGE]] == 0.5).all()  # every actor on a side, the patron too
    intensity = np.array([1.0, 0.5])
    q, lost, _ = contest.region_battles(power, intensity, st.theatre.control, st.theatre.defence, 0.1)
    whole = np.broadcast_to(strength(s, st, d), power.shape)
    q_whole, lost_whole, _ = contest.region_battles(
        whole, intensity, st.theatre.control, st.theatre.defence, 0.1
    )
    assert q[FRONT] == pytest.approx(q_whole[FRONT])
    assert (lost[FRONT] < lost_whole[FRONT]).all()
    size = combat.CombatParams().size_exponent
    assert lost[FRONT, B] / lost_whole[FRONT, B] == pytest.approx(2.0**size)


def test_a_side_that_concentrates_where_it_attacks_takes_that_region_faster():
    """Two equal sides on two fronts of 2,500 km2, without battle luck: A placing 80% of its men on the front
    meets B's half there at 16:10 and takes it, and gives ground on the ridge it left thin; spread evenly, it
    gains nothing on either."""
    small = {"theatre.regions.front.area": 2500.0, "theatre.regions.ridge.area": 2500.0}
    calm = {"engine.combat.noise": 0.0, **small}
    massed = fought({**calm, "actors.A.deploy": {"front": 0.8}}, 6, 0)
    spread = fought(calm, 6, 0)
    assert spread[[FRONT, RIDGE], A] == pytest.approx([0.5, 0.5])  # equal sides spread evenly stay even
    assert massed[FRONT, A] > 0.6 and massed[RIDGE, A] < 0.4
    lucky = [fought({**small, "actors.A.deploy": {"front": 0.8}}, 6, seed)[FRONT, A] for seed in range(10)]
    even = [fought(small, 6, seed)[FRONT, A] for seed in range(10)]
    assert np.mean(np.array(lucky) > 0.5) > np.mean(np.array(even) > 0.5)  # it wins the front more often


def test_support_stands_where_its_recipient_places_its_forces():
    help_b = {"actors.P.support": [{"to": "B", "level": 10.0, "max_level": 10.0}]}
    model = model_of({**help_b, "actors.B.deploy": {"ridge": 1.0}})
    power, _ = placed(model.structure, model.state, model.derived)
    assert power[RIDGE, B] == pytest.approx(30.0) and power[FRONT, B] == 0.0
    assert power[[FRONT, RIDGE], A].tolist() == [10.0, 10.0]


def test_a_wrong_deploy_is_reported_with_its_line_path_and_fix():
    data = yaml.safe_load(yaml.safe_dump(DUEL))
    data["actors"]["A"]["deploy"] = {"front": 0.7, "field": 0.5, "frnt": 0.1}
    data["actors"]["P"]["deploy"] = {"front": 0.5}
    data["actors"]["P"].pop("side")
    text = yaml.safe_dump(data, sort_keys=False)
    with pytest.raises(ScenarioError) as info:
        load_scenario_text(text, "duel.yaml")
    found = {(p.path, p.message): p for p in info.value.problems}
    assert ("actors.A.deploy.field", "region `field` is not a front") in found
    unknown = found[("actors.A.deploy.frnt", "unknown region `frnt`")]
    assert unknown.suggestion and "front" in unknown.suggestion
    total = found[("actors.A.deploy", "deploy shares sum to 1.3")]
    assert total.file == "duel.yaml" and total.line and "at most 1" in total.expected
    assert ("actors.P.deploy", "only an actor that fights places forces") in found
    data["actors"]["A"]["deploy"] = {"front": 1.5}
    with pytest.raises(ScenarioError) as info:
        load_scenario_text(yaml.safe_dump(data, sort_keys=False), "duel.yaml")
    assert "actors.A.deploy.front" in [p.path for p in info.value.problems]
