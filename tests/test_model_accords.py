"""Accords (docs/MODEL.md sections 2.2 and 6): partial, issue-by-issue agreements that stand beside the ceasefire
accord, third-party guarantees, and trust carried from accord to accord. Contrasts on the duel."""

from __future__ import annotations

import json

import numpy as np
from model_support import duel

from sim.engine.log import Kind
from sim.model import run_model
from sim.outputs import summary

# The duel with an oil-revenue issue: A holds the oil field, the revenue goes to B's bank. A refuses the talks'
# ceasefire text (far from its demands on land), so it has a demand to compel with a blockade.
OIL = {
    "issues.revenue": {
        "name": "Oil revenue",
        "kind": "oil",
        "low": "all to B's bank",
        "high": "shared with A",
    },
    "actors.A.positions.revenue": 100,
    "actors.A.salience.revenue": 0.8,
    "actors.B.positions.revenue": 0,
    "actors.B.salience.revenue": 0.8,
    "forums.talks": {
        "name": "Talks",
        "participants": ["A", "B"],
        "issues": ["ceasefire", "land"],
        "schedule": {"start": "2020-01-08", "every_rounds": 2},
        "open_proposal": {"terms": {"ceasefire": 90, "land": 0}, "signed_by": ["B"]},
    },
    "engine.bargaining.sign_temperature": 0.001,
}
# A text on oil revenue only, signed by both in round 1 (the September 2020 pattern: an oil deal, the war open).
OIL_DEAL = {
    "forums.oil": {
        "name": "Oil talks",
        "participants": ["A", "B"],
        "issues": ["revenue"],
        "schedule": {"start": "2030-01-01"},  # never sits: only its open text is decided
        "open_proposal": {"terms": {"revenue": 50}, "signed_by": []},
    }
}
SEEDS = range(10)


def runs(changes: dict, seeds=SEEDS, max_rounds: int = 20):
    return [run_model(duel(changes), seed=seed, max_rounds=max_rounds) for seed in seeds]


def blockade_rounds(models) -> int:
    return sum(h["blockade_A"] for m in models for h in m.history)


def test_an_oil_deal_ends_the_blockade_while_the_war_goes_on():
    """Without the oil deal A blockades in most runs; with it A rarely does (breaking it costs as a truce's
    breach does), the oil accord holds while the ceasefire accord is broken and collapses, and the only
    violations of the oil accord are blockades."""
    without = runs(OIL)
    with_deal = runs({**OIL, **OIL_DEAL})
    assert blockade_rounds(without) >= 30
    assert blockade_rounds(with_deal) <= blockade_rounds(without) / 5
    breaches = 0
    for m in with_deal:
        assert m.accords["oil"].signed_round == 1 and not m.accords["oil"].ceasefire and m.accords["oil"].oil
        oil_breaches = [e for e in m.events if e["type"] == Kind.VIOLATION and e["forum"] == "oil"]
        assert all(e["by"] == "blockade" for e in oil_breaches)
        # a round A blockades while the oil accord is in force is a violation of it
        in_force = m.accords["oil"].in_force
        shut = {r for r, h in enumerate(m.history) if r > 1 and h["blockade_A"] and in_force}
        assert shut <= {e["round"] for e in oil_breaches}
        breaches += len(oil_breaches)
        rung_breaches = [e for e in m.events if e["type"] == Kind.VIOLATION and e["by"] == "rung"]
        assert rung_breaches and all(e["forum"] != "oil" for e in rung_breaches)
        # the fighting broke the ceasefire text, not the oil text
        assert m.history[-1]["status"] in ("violated", "collapsed")
    assert sum(m.history[-1]["accord_oil"] in ("holding", "violated") for m in with_deal) >= 7
    assert breaches >= 1  # the blockades there were broke the oil accord


def test_a_partial_text_does_not_replace_the_truce_nor_settle_a_refused_ceasefire():
    m = run_model(duel({**OIL, **OIL_DEAL, "truce": {"signatories": ["A", "B"]}}), seed=0, max_rounds=1)
    assert m.accord.kind == "truce" and m.accords["oil"] is not m.accord
    # A signed the oil text but still holds the ceasefire text it refused against B
    assert m.actor_index["A"] in m.state.refused
    assert list(m.state.refused[m.actor_index["A"]][0]) == [m.issue_ids.index("ceasefire"), 1]


def test_rounds_and_summary_show_each_accord(tmp_path):
    m = run_model(duel({**OIL, **OIL_DEAL}), seed=0, max_rounds=6)
    assert [h["accord_oil"] for h in m.history[:2]] == ["none", "holding"]
    assert {"accord_talks", "accord_oil"} <= set(m.history[-1])
    s = json.loads(json.dumps(summary(m)))
    assert s["accords"]["oil"]["issues"] == ["revenue"] and s["accords"]["oil"]["signatories"] == ["A", "B"]
    assert (
        s["accords"]["oil"]["signed_round"] == 1 and s["accords"]["oil"]["status"] == m.accords["oil"].status
    )


GUARDED = {
    "forums.talks": {
        "name": "Talks",
        "participants": ["A", "B"],
        "issues": ["ceasefire", "land"],
        "schedule": {"start": "2020-01-01", "every_rounds": 2},
    },
    # parties who mean to keep what they sign, if breaking it is likely to be punished
    "actors.A.goals.ceasefire_adherence": 0.9,
    "actors.B.goals.ceasefire_adherence": 0.9,
}


def test_a_guarantee_raises_trust_and_the_cost_of_breaking():
    """A guarantee g raises each signatory's trust to t + (1 - t) g and makes breaking the accord costlier:
    with peacekeepers (g = 0.9) the signed text holds to the end (durable) where without them it collapses."""
    plain = runs(GUARDED, seeds=range(12))
    kept = runs({**GUARDED, "forums.talks.guarantee": 0.9}, seeds=range(12))
    first = {True: [], False: []}
    for guarded, models in ((False, plain), (True, kept)):
        for m in models:
            e = next(e for e in m.events if e["type"] in (Kind.SIGNED, Kind.REFUSED))
            first[guarded].append(e["reasons"]["trust"])
    assert np.allclose(first[False], 0.5) and np.allclose(first[True], 0.5 + 0.5 * 0.9)

    def broken(models) -> int:
        return sum(
            e["type"] == Kind.VIOLATION and e["accord"] == "agreement" for m in models for e in m.events
        )

    assert sum(m.agreement_signed for m in kept) >= sum(m.agreement_signed for m in plain)
    assert broken(kept) < broken(plain) / 4
    assert sum(m.outcome == "durable_agreement" for m in kept) >= 10
    assert sum(m.outcome == "durable_agreement" for m in plain) <= 2
    assert all(acc.guarantee == 0.9 for m in kept for acc in m.accords.values())


def test_trust_is_carried_from_accord_to_accord():
    """Trust is a belief about the other side: a text signed after an earlier one was broken is weighed with the
    trust that breach left, not with the starting trust."""
    later = []
    for m in runs(GUARDED, seeds=range(12)):
        broke = [e["round"] for e in m.events if e["type"] == Kind.VIOLATION]
        if broke:
            later += [
                e["reasons"]["trust"]
                for e in m.events
                if e["type"] in (Kind.SIGNED, Kind.REFUSED) and e["round"] > broke[0]
            ]
    assert later and max(later) < 0.5
