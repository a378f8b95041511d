"""Contrast tests for agreements that move the front (docs/MODEL.md section 6): a signed text's transfers and
withdrawals move control at once or by a date, a side that fights on for a region it handed over or through a
buffer zone violates the accord, peacekeepers raise the chance a breach is sanctioned and deter an attacker
where they stand, and `collapse_days` lets a truce fail within days. Each test fails with the mechanism removed."""

from __future__ import annotations

import pytest
from model_support import breaking_share, duel

from sim.engine.derived import strength
from sim.engine.phases import accords, signing
from sim.model import ConflictModel
from sim.scenario import ScenarioError

A, B = 0, 1
FRONT = 0  # the duel's contested region

TALKS = {
    "forums.talks": {
        "name": "Talks on the land",
        "participants": ["A", "B"],
        "issues": ["land"],
        "schedule": {"start": "2020-01-01"},
        "open_proposal": {"terms": {"land": 60}},
    }
}


class Signs:
    """A draw below every signing probability: each party signs (the signing rule is not what is tested)."""

    def random(self) -> float:
        return 0.0


def signed(changes: dict, r: int = 1):
    model = ConflictModel(scenario=duel({**TALKS, **changes}), rng=1)
    s, st, d = model.structure, model.state, model.derived
    forum = st.forums["talks"]
    signing.decide(s, st, d, forum, strength(s, st, d), Signs(), model.log, r)  # type: ignore[arg-type]
    assert "talks" in st.accords
    return model, s, st, d


def test_a_transfer_on_signing_hands_the_region_whole_to_its_recipient():
    _, _, st, _ = signed({"forums.talks.terms": {"transfer": [{"region": "front", "to": "A"}]}})
    assert st.theatre.control[FRONT].tolist() == [1.0, 0.0]
    _, _, plain, _ = signed({})
    assert plain.theatre.control[FRONT].tolist() == [0.5, 0.5]


def test_a_text_signed_again_while_in_force_does_not_hand_the_region_over_again():
    """The forum's second signing renews its accord: the transfer done on the first is not carried out again
    (the fighting since has moved the front, and the text that moved it is the same); after a collapse, a new
    signing is a new agreement and carries its terms out again."""
    model, s, st, d = signed({"forums.talks.terms": {"transfer": [{"region": "front", "to": "A"}]}})
    st.theatre.control[FRONT] = [0.7, 0.3]  # B won some back
    forum = st.forums["talks"]
    forum.signed.clear()
    signing.decide(s, st, d, forum, strength(s, st, d), Signs(), model.log, 3)  # type: ignore[arg-type]
    assert st.accords["talks"].signed_round == 3
    assert st.theatre.control[FRONT].tolist() == [0.7, 0.3]
    st.accords["talks"].status = "collapsed"
    forum.signed.clear()
    signing.decide(s, st, d, forum, strength(s, st, d), Signs(), model.log, 5)  # type: ignore[arg-type]
    assert st.theatre.control[FRONT].tolist() == [1.0, 0.0]


def test_a_dated_transfer_waits_for_its_round():
    """by 2020-02-01: the round that contains it, (31 // 7) + 1 = 5."""
    terms = {"transfer": [{"region": "front", "to": "B", "by": "2020-02-01"}]}
    model, s, st, _ = signed({"forums.talks.terms": terms})
    assert st.theatre.control[FRONT].tolist() == [0.5, 0.5]
    accords.violations_and_trust(s, st, model.log, 4)
    assert st.theatre.control[FRONT].tolist() == [0.5, 0.5]
    accords.violations_and_trust(s, st, model.log, 5)
    assert st.theatre.control[FRONT].tolist() == [0.0, 1.0]
    moved = [e for e in model.events if e["type"] == "control_changed"]
    assert moved[-1]["forum"] == "talks" and moved[-1]["term"] == "transfer"


def test_a_withdrawal_hands_the_leaving_sides_share_to_the_others():
    _, _, st, _ = signed({"forums.talks.terms": {"withdraw": [{"side": "B", "region": "front"}]}})
    assert st.theatre.control[FRONT].tolist() == [1.0, 0.0]


def test_a_side_that_fights_on_for_a_region_it_handed_over_violates_the_accord():
    model, s, st, _ = signed({"forums.talks.terms": {"transfer": [{"region": "front", "to": "A"}]}})
    acc = st.accords["talks"]
    assert not acc.ceasefire  # a text on land only: fighting as such breaks nothing
    st.actors.rung[A] = 1  # the recipient fights: not for a region it gave
    assert accords.breakers(s, st, acc) == []
    st.actors.rung[[A, B]] = [0, 1]  # the side that handed it over fights on
    assert accords.breakers(s, st, acc) == [(B, "territory")]
    _, s2, plain, _ = signed({})
    plain.actors.rung[B] = 1
    assert accords.breakers(s2, plain, plain.accords["talks"]) == []


def test_fighting_while_the_front_runs_through_a_buffer_zone_violates_it():
    model, s, st, _ = signed({"forums.talks.terms": {"buffer": ["front"]}})
    st.actors.rung[A] = 2
    assert accords.breakers(s, st, st.accords["talks"]) == [(A, "buffer")]
    _, s2, other, _ = signed({"forums.talks.terms": {"buffer": ["port"]}})  # not a front
    other.actors.rung[A] = 2
    assert accords.breakers(s2, other, other.accords["talks"]) == []


KEEPERS = {"by": "P", "regions": ["front"], "forces": 60.0, "monitoring": 0.8}


def test_peacekeepers_on_a_front_raise_the_chance_a_breach_is_sanctioned():
    """m' = m + (1 - m) w: monitoring 0, guarantee 0, peacekeepers' monitoring 0.8."""
    model, s, st, _ = signed({"forums.talks.peacekeepers": KEEPERS})
    acc = st.accords["talks"]
    assert accords.sanction(st.engine.escalation, acc) == pytest.approx(0.8)
    agreement = [e for e in model.events if e["type"] == "agreement"][-1]
    assert agreement["peacekeepers"] == {"by": "P", "regions": ["front"], "forces": 60.0}
    _, _, off_front, _ = signed({"forums.talks.peacekeepers": {**KEEPERS, "regions": ["port"]}})
    assert accords.sanction(off_front.engine.escalation, off_front.accords["talks"]) == 0.0


def fighting_share(changes: dict, draws: int = 300) -> float:
    """Share of draws in which A picks a fighting rung in round 2, after the text is signed in round 1."""
    model, s, st, d = signed({"engine.escalation.temperature": 0.05, "actors.A.forces": 30, **changes})
    return breaking_share(model, A, 2, draws)


def test_peacekeepers_deter_an_attack_where_they_stand():
    """A, stronger, attacks the front; 150 force units of peacekeepers there (no monitoring: deterrence only)
    are expected to defend it against it. In the combat kernel numbers weigh little (the CDB90 fit's s is about
    0.55), so deterring A's 30 takes several times its force: 60 units, a bare majority, do not."""
    unguarded = fighting_share({})
    guarded = fighting_share({"forums.talks.peacekeepers": {**KEEPERS, "forces": 150.0, "monitoring": 0.0}})
    assert unguarded > 0.5
    assert guarded < unguarded - 0.3


TRUCE = {"truce": {"in_force": True, "signatories": ["A", "B"], "monitoring": 0.0}}


def collapse_after(changes: dict) -> int:
    """Rounds of violation by A until the truce collapses."""
    model = ConflictModel(scenario=duel({**TRUCE, **changes}), rng=1)
    s, st = model.structure, model.state
    st.actors.rung[A] = 1
    for r in range(1, 20):
        accords.violations_and_trust(s, st, model.log, r)
        if st.accord is not None and not st.accord.in_force:
            return r
    raise AssertionError("never collapsed")


def test_collapse_days_lets_a_truce_fail_within_days_whatever_the_round_length():
    """ceil(collapse_days / round_days) rounds: 2 days of 7-day rounds is 1 round; of 1-day rounds, 2."""
    assert collapse_after({}) == 3  # collapse_violations
    assert collapse_after({"engine.escalation.collapse_days": 2}) == 1
    assert collapse_after({"engine.escalation.collapse_days": 2, "clock.round_days": 1}) == 2
    assert collapse_after({"engine.escalation.collapse_days": 15}) == 3


def test_territorial_terms_must_name_regions_and_actors_on_a_side_every_problem_at_once():
    bad = {
        "forums.talks.terms": {
            "transfer": [{"region": "frnt", "to": "P"}],  # P is a patron on B's side: allowed
            "withdraw": [{"side": "Z", "region": "front"}],
            "buffer": ["nowhere"],
        },
        "forums.talks.peacekeepers": {"by": "Q", "regions": ["front"], "forces": 1.0, "monitoring": 0.5},
    }
    with pytest.raises(ScenarioError) as info:
        duel({**TALKS, **bad})
    where = sorted(p.path for p in info.value.problems)
    assert where == [
        "forums.talks.peacekeepers.by",
        "forums.talks.terms.buffer.0",
        "forums.talks.terms.transfer.0.region",
        "forums.talks.terms.withdraw.0.side",
    ]
