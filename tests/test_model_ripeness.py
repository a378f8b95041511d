"""Ripeness (docs/MODEL.md section 2.2): a hurting stalemate makes a text acceptable that the same parties refuse
when the war is young, the front moves or nobody fights. Kernel properties, then contrasts on the duel."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from model_support import duel

from sim.engine.log import Kind
from sim.kernels import ripeness
from sim.model import run_model
from sim.narrative import sentence

# Talks that first sit in round 11 (10 March 2020), after nine weeks of fighting at the top rung.
LATE_TALKS = {
    "forums.talks": {
        "name": "Talks",
        "participants": ["A", "B"],
        "issues": ["ceasefire", "land"],
        "schedule": {"start": "2020-03-11"},
    },
    # Standing down first is costly enough that the even text is refused at parity without ripeness
    # (margin = t (U_deal - U_war) - (1 - t) b c < 0 at t = 0.5), and decisions are nearly deterministic.
    "engine.bargaining.betrayal_cost": 1.5,
    "engine.bargaining.sign_temperature": 0.005,
}


def decisions(changes: dict, seeds: range, max_rounds: int = 12) -> list[dict]:
    out = []
    for seed in seeds:
        model = run_model(duel({**LATE_TALKS, **changes}), seed=seed, max_rounds=max_rounds)
        out += [e for e in model.events if e["type"] in (Kind.SIGNED, Kind.REFUSED)]
    return out


shares = st.floats(0.0, 1.0)


@given(st.lists(shares, min_size=1, max_size=12), shares, shares, st.floats(0.01, 1.0))
def test_ripeness_is_hurt_times_stalemate(intensity, start, end, share):
    i = np.array(intensity)
    control = np.array([[start, 1 - start]] + [[end, 1 - end]] * len(i))
    r = ripeness.ripeness(i, control, share)
    moved = abs(end - start)
    assert 0.0 <= r <= 1.0
    assert np.isclose(r, i.mean() * max(0.0, 1.0 - moved / share))
    # a front that does not move hurts as much as the fighting; one that moves a full share is not a stalemate
    assert ripeness.ripeness(i, control[:1].repeat(len(i) + 1, axis=0), share) == i.mean()
    assert ripeness.ripeness(np.zeros(len(i)), control, share) == 0.0


def test_no_window_no_ripeness():
    assert ripeness.ripeness(np.zeros(0), np.array([[0.5, 0.5]]), 0.05) == 0.0


def test_a_hurting_stalemate_makes_the_refused_text_acceptable():
    """At parity after nine weeks of top-rung fighting with the front still, both sides sign with ripeness on
    and refuse with it off; the margin rises by exactly t x ripeness_weight x R x c (the equation)."""
    on = decisions({}, range(12))
    off = decisions({"engine.bargaining.ripeness_weight": 0.0}, range(12))
    assert len(on) == len(off) == 24  # one session, two parties, twelve seeds
    signed_on = sum(e["type"] == Kind.SIGNED for e in on)
    signed_off = sum(e["type"] == Kind.SIGNED for e in off)
    assert signed_off <= 3 and signed_on >= 15
    ripe = 0
    for a, b in zip(on, off, strict=True):
        ra, rb = a["reasons"], b["reasons"]
        assert rb["ripeness"] == 0.0
        ripe += ra["ripeness"] > 0.0  # 0 where battle luck moved the front by the stalemate share
        assert ra["u_war"] <= rb["u_war"]
        assert np.isclose(ra["margin"] - rb["margin"], ra["trust"] * ra["ripeness"], atol=2e-4)
    assert ripe >= 20


def test_no_stalemate_when_one_side_is_winning():
    """The same talks when A is four times stronger: the front moves, so the fighting is no stalemate."""
    moving = decisions({"actors.A.forces": 80}, range(6))
    still = decisions({}, range(6))
    assert all(e["reasons"]["ripeness"] == 0.0 for e in moving)
    assert sum(e["reasons"]["ripeness"] > 0.0 for e in still) >= 10  # battle luck may move a still front


def test_no_hurt_without_fighting():
    """Both sides hold fire (ground is worth nothing, choices are sharp): a still front is no hurting stalemate."""
    quiet = decisions({"engine.escalation.gain_weight": 0.0, "engine.escalation.temperature": 0.01}, range(4))
    assert quiet and all(e["reasons"]["ripeness"] == 0.0 for e in quiet)


def test_window_is_in_days_not_rounds():
    """With weekly or fortnightly rounds, the first decision that feels the stalemate comes 8-10 weeks in."""
    talks = {"forums.talks.schedule": {"start": "2020-01-01", "every_rounds": 1}}
    for days in (7, 14):
        model = run_model(duel({**LATE_TALKS, **talks, "clock.round_days": days}), seed=3, max_rounds=8)
        felt = [
            e["round"]
            for e in model.events
            if e["type"] in (Kind.SIGNED, Kind.REFUSED) and e["reasons"]["ripeness"] > 0
        ]
        if felt:
            assert 56 <= (felt[0] - 1) * days <= 70, (days, felt[0])
        else:  # the run ended (an agreement held) before the window closed
            assert (model.round - 1) * days < 70


def test_a_decision_says_why_in_words():
    """The narrative reads the event's reasons: distance to the text, cost of fighting on, chance of winning,
    the stalemate's extra cost when there is one, and trust; an event without reasons has no clause."""
    model = run_model(duel(LATE_TALKS), seed=0, max_rounds=12)
    e = next(e for e in model.events if e["type"] in (Kind.SIGNED, Kind.REFUSED))
    r = e["reasons"]
    text = sentence(e, model.spec)
    assert f"the text is {1 - r['u_deal']:.2f} from its positions" in text
    assert f"fighting on costs it {r['cost']:.2f}" in text and f"expects to win {r['p']:.0%}" in text
    assert f"the stalemate adds {r['ripeness']:.2f}" in text and f"{r['trust']:.0%}" in text
    bare = {k: v for k, v in e.items() if k != "reasons"}
    assert sentence(bare, model.spec).endswith("text.") or sentence(bare, model.spec).endswith("walked out.")
