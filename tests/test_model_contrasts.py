"""Contrast tests, one or more per mechanism of docs/MODEL.md: each compares a small hand-made case with and
without the mechanism (or with it reversed) and fails if the mechanism is removed or inverted.

Most drive one phase of `sim.engine.phases` directly on the duel's structure and state (tests/model_support.py),
set by hand to the case the mechanism needs; `tests/mutants.py` checks that every one-line break of a
mechanism is caught by some test here or in the other model tests.
"""

from __future__ import annotations

import numpy as np
import pytest
from model_support import breaking_share, duel, rival_patron

from sim import bargaining
from sim.engine.agreements import Accord, read_text
from sim.engine.derived import strength
from sim.engine.log import Kind
from sim.engine.phases import (
    accords,
    adaptation,
    coercion,
    negotiation,
    patrons,
    resolution,
    signing,
    stop,
    threats,
)
from sim.engine.phases import economy as economy_phase
from sim.kernels import contest
from sim.model import ConflictModel

A, B, P = 0, 1, 2  # the duel's actors; A and B are also sides 0 and 1


def parts(changes: dict | None = None, rng: int = 1):
    model = ConflictModel(scenario=duel(changes or {}), rng=rng)
    return model, model.structure, model.state, model.derived


# --- resolution: casualties and the holder's defence (docs/MODEL.md section 6) ------------------------------


def fight_once(changes: dict, rungs: tuple[int, int]):
    model, s, st, d = parts({"engine.combat.noise": 0.0, **changes})
    st.actors.rung[[A, B]] = rungs
    resolution.fight(s, st, d, np.random.default_rng(0), model.log, 1)
    return st


def test_casualties_wear_down_both_fighting_sides_and_the_weaker_more():
    """forces *= 1 - battles_per_round x I x f_i, f the combat kernel's casualty fractions: 40 against 20."""
    model, s, st, d = parts({"actors.A.forces": 40, "engine.combat.noise": 0.0})
    st.actors.rung[[A, B]] = (2, 2)
    _, f, _ = contest.region_battles(
        strength(s, st, d), np.ones(2), st.theatre.control, st.theatre.defence, 0.3
    )
    resolution.fight(s, st, d, np.random.default_rng(0), model.log, 1)
    lost = 1.0 - st.actors.forces[[A, B]] / np.array([40.0, 20.0])
    assert lost == pytest.approx(0.05 * f[st.theatre.contested].mean(axis=0))
    assert lost[1] > lost[0] > 0
    # Contrast: no fighting, no losses.
    calm = fight_once({"actors.A.forces": 40}, (0, 0))
    assert calm.actors.forces[[A, B]].tolist() == [40.0, 20.0]


# --- patrons: inertia, clash aversion, danger (section 5) -------------------------------------------------------


def channel_moves(changes: dict, rungs: tuple[int, int] = (0, 0), draws: int = 400) -> np.ndarray:
    """Fraction of draws in which P's channel (index 0) goes down, stays, goes up from its starting level."""
    model, s, st, d = parts(changes)
    st.actors.rung[[A, B]] = rungs
    start, ceiling = st.channels.level.copy(), st.channels.max.copy()
    rng = np.random.default_rng(11)
    counts = np.zeros(3)
    for _ in range(draws):  # each draw is one round's choice from the same state (its commitment too)
        st.channels.level[:] = start
        st.channels.max[:] = ceiling
        patrons.choose_support(s, st, d, strength(s, st, d), rng, model.log, 1)
        counts[int(np.sign(st.channels.level[0] - start[0])) + 1] += 1
    return counts / draws


INDIFFERENT_PATRON = {  # every level worth the same to P: only inertia or clash can tell them apart
    "actors.P.support": [{"to": "B", "level": 1.0, "max_level": 2.0}],
    "actors.P.goals": {"influence": 0.0, "cost_aversion": 0.0},
}


def test_patron_inertia_keeps_a_channel_where_it_is():
    stuck = channel_moves({**INDIFFERENT_PATRON, "engine.patrons.inertia": 1.0})
    free = channel_moves({**INDIFFERENT_PATRON, "engine.patrons.inertia": 0.0})
    assert stuck[1] > 0.95
    assert 0.25 < free[1] < 0.45


def test_clash_aversion_makes_a_patron_back_off_a_patron_it_likes_on_the_other_side():
    """Q backs A; P backs B and likes Q (affinity 1): with clash aversion P cuts its support."""
    rival = {
        **INDIFFERENT_PATRON,
        "engine.patrons.inertia": 0.0,
        "actors.P.affinity": {"Q": 1.0},
        "actors.Q": rival_patron({"influence": 0.0, "cost_aversion": 0.0}, {"level": 1.0, "max_level": 2.0}),
    }
    averse = channel_moves({**rival, "engine.patrons.clash_aversion": 5.0})
    indifferent = channel_moves({**rival, "engine.patrons.clash_aversion": 0.0})
    assert averse[0] > 0.9
    assert indifferent[0] < 0.45
    # A patron it dislikes is no reason to back off.
    hostile = channel_moves({**rival, "actors.P.affinity": {"Q": -1.0}, "engine.patrons.clash_aversion": 5.0})
    assert hostile[0] < 0.45


def test_a_patron_raises_support_when_its_client_is_attacked_and_not_when_it_is_at_peace():
    """danger = the highest intensity the client's opponents fight at: P (influence 0.8) helps B under fire."""
    backing = {"actors.P.support": [{"to": "B", "level": 1.0, "max_level": 4.0}]}
    attacked = channel_moves(backing, rungs=(2, 0))
    peace = channel_moves(backing, rungs=(0, 0))
    assert attacked[2] > 0.8
    assert peace[2] < 0.3


# --- signing: trust, monitoring, betrayal, oil cost, weariness (section 2.2) -----------------------------------

OPEN_TEXT = {
    "forums.talks": {
        "name": "Talks",
        "participants": ["A", "B"],
        "issues": ["ceasefire", "land"],
        "schedule": {"start": "2030-01-01"},
        "open_proposal": {"terms": {"ceasefire": 50, "land": 40}, "signed_by": []},
    },
}


def margin_of_a(
    changes: dict | None = None,
    *,
    trust: float = 0.5,
    monitoring: float = 0.0,
    revenue_loss_share: float = 0.0,
    hurt: float = 0.0,
) -> float:
    """A's settlement margin for the open text at even odds, with the state it depends on set by hand."""
    model, s, st, d = parts({**OPEN_TEXT, **(changes or {})})
    forum = st.forums["talks"]
    forum.monitoring = monitoring
    st.trust[:] = trust
    st.revenue_loss_share[:] = revenue_loss_share
    st.hurt = hurt
    assert forum.terms is not None
    terms, on_table = read_text(forum.terms)
    return signing.margin(s, st, d, A, forum, np.array([0.5, 0.5]), terms, on_table, 0.0)[0]


def test_trust_raises_the_settlement_margin_and_monitoring_stands_in_for_it():
    low, high = margin_of_a(trust=0.1), margin_of_a(trust=0.9)
    assert high > low
    # Full monitoring makes the deal as good as kept: t = trust + (1 - trust) m = 1.
    assert margin_of_a(trust=0.1, monitoring=1.0) == pytest.approx(margin_of_a(trust=1.0))
    assert margin_of_a(trust=0.1, monitoring=0.5) == pytest.approx(margin_of_a(trust=0.55))


def test_the_betrayal_cost_lowers_the_margin_when_the_deal_may_not_be_kept():
    wary = margin_of_a({"engine.bargaining.betrayal_cost": 1.0}, trust=0.5)
    careless = margin_of_a({"engine.bargaining.betrayal_cost": 0.0}, trust=0.5)
    assert wary < careless
    # Contrast: a deal certain to be kept carries no betrayal risk.
    assert margin_of_a({"engine.bargaining.betrayal_cost": 1.0}, trust=1.0) == pytest.approx(
        margin_of_a({"engine.bargaining.betrayal_cost": 0.0}, trust=1.0)
    )


def test_lost_oil_revenue_makes_war_costlier_and_the_deal_more_attractive():
    assert margin_of_a(trust=1.0, revenue_loss_share=0.8) > margin_of_a(trust=1.0, revenue_loss_share=0.0)


def test_weariness_grows_the_cost_of_war_with_the_fighting_so_far():
    """W = 1 + weariness x hurt multiplies the cost of war: after 10 rounds of full fighting the deal is worth more."""
    weary = {"engine.escalation.weariness": 0.1}
    assert margin_of_a(weary, trust=1.0, hurt=10.0) > margin_of_a(weary, trust=1.0, hurt=0.0) + 0.01
    # Contrast: with weariness 0 the same fighting costs nothing more.
    fresh = {"engine.escalation.weariness": 0.0}
    assert margin_of_a(fresh, trust=1.0, hurt=10.0) == pytest.approx(margin_of_a(fresh, trust=1.0, hurt=0.0))


# --- accords: trust (section 6) --------------------------------------------------------------------------------

TRUCE = {"truce": {"in_force": True, "signatories": ["A", "B"], "monitoring": 0.0}}


def test_trust_builds_each_round_a_truce_is_kept_and_falls_with_each_violation_by_the_other_side():
    model, s, st, d = parts(TRUCE)
    accords.violations_and_trust(s, st, model.log, 1)  # both at rung 0: kept
    assert st.trust.tolist() == pytest.approx([0.52, 0.52])
    st.actors.rung[A] = 1  # A breaks it
    accords.violations_and_trust(s, st, model.log, 2)
    assert st.trust.tolist() == pytest.approx([0.54, 0.42])
    assert st.violations == 1 and st.accord is not None and st.accord.status == "violated"


def test_an_accord_collapses_after_collapse_violations_rounds_with_a_violation():
    model, s, st, d = parts({**TRUCE, "engine.escalation.collapse_violations": 2})
    st.actors.rung[A] = 1
    accords.violations_and_trust(s, st, model.log, 1)
    assert st.accord is not None and st.accord.in_force
    accords.violations_and_trust(s, st, model.log, 2)
    assert not st.accord.in_force and st.accord.status == "collapsed"


# --- escalation: monitoring of a truce (section 3) -------------------------------------------------------------


def fighting_share(changes: dict, draws: int = 300, guarantee: float = 0.0) -> float:
    """Share of draws in which A picks a fighting rung (every one breaks a truce) in round 1; `guarantee`: the
    truce's third-party guarantee."""
    model, s, st, d = parts({"engine.escalation.grievance_weight": 5.0, **changes})
    if st.accord is not None:
        st.accord.guarantee = guarantee
    return breaking_share(model, A, 1, draws)


def test_monitoring_a_truce_raises_the_cost_of_breaking_it():
    """penalty = truce_cost k / (1 - k), k = adherence (restraint + (1 - restraint) m): adherence 0.9."""
    adherent = {**TRUCE, "actors.A.goals.ceasefire_adherence": 0.9}
    watched = fighting_share({**adherent, "truce.monitoring": 1.0})
    unwatched = fighting_share({**adherent, "truce.monitoring": 0.0})
    assert watched < 0.05
    assert unwatched > watched + 0.3


def test_a_guarantee_raises_the_cost_of_breaking_a_truce_nobody_monitors():
    """P(sanction) = m + (1 - m) g (`accords.sanction`): with no monitoring (m = 0) a full guarantee (g = 1)
    deters as full monitoring does, and half a guarantee as half the monitoring."""
    adherent = {**TRUCE, "actors.A.goals.ceasefire_adherence": 0.9}
    guaranteed = fighting_share(adherent, guarantee=1.0)
    unguaranteed = fighting_share(adherent, guarantee=0.0)
    assert guaranteed < 0.05
    assert unguaranteed > guaranteed + 0.3
    half = {**adherent, "truce.monitoring": 0.5}
    assert fighting_share(adherent, guarantee=0.5) == fighting_share(half)


def test_grievance_drives_a_side_far_from_the_ceasefire_it_wants_to_fight():
    """g = grievance_weight x s (hi - x) / span on the ceasefire issue (A: 0.6 x 0.7). With no ground worth
    winning (no territorial or oil goal), only grievance can outweigh a rung's cost."""
    no_stakes = {
        "actors.A.goals.territory": 0.0,
        "actors.A.goals.oil_access": 0.0,
        "actors.A.goals.cost_aversion": 1.0,
        "engine.escalation.temperature": 0.02,
    }
    aggrieved = fighting_share(no_stakes)
    calm = fighting_share({**no_stakes, "engine.escalation.grievance_weight": 0.0})
    assert aggrieved > 0.9
    assert calm < 0.1


def test_a_rung_s_cost_holds_a_side_back():
    """The same aggrieved A: a very cost-averse A stays at rung 0 (cost x cost_aversion outweighs grievance)."""
    no_stakes = {
        "actors.A.goals.territory": 0.0,
        "actors.A.goals.oil_access": 0.0,
        "engine.escalation.temperature": 0.02,
    }
    averse = fighting_share(
        {**no_stakes, "actors.A.goals.cost_aversion": 1.0, "engine.escalation.grievance_weight": 0.5}
    )
    bold = fighting_share(
        {**no_stakes, "actors.A.goals.cost_aversion": 0.0, "engine.escalation.grievance_weight": 0.5}
    )
    assert averse < bold - 0.3


# --- coercion: compellence (section 4) -------------------------------------------------------------------------


def blockade_share(refused: bool, draws: int = 200) -> float:
    """Share of draws in which A (it holds the field; the revenue goes to B) starts a blockade in round 1, its
    choice made very noisy (temperature 10: the logit is near one half whatever the utility)."""
    model, s, st, d = parts({"engine.escalation.temperature": 10.0})
    if refused:
        terms, on_table = read_text(np.array([90.0, 0.0]))
        st.refused[A] = (np.array([0, 1]), terms, on_table)
    rng = np.random.default_rng(0)
    started = 0
    for _ in range(draws):
        st.blockading[:] = False
        coercion.choose_blockades(s, st, d, rng, model.log, 1)
        started += bool(st.blockading[0])
    return started / draws


def test_compellence_needs_a_demand_only_a_side_with_a_refused_text_blockades():
    assert blockade_share(refused=False) == 0.0
    assert blockade_share(refused=True) > 0.3


def test_a_side_bound_by_the_agreement_it_signed_lifts_its_blockade():
    model, s, st, d = parts({"engine.escalation.temperature": 0.01})
    terms, on_table = read_text(np.array([90.0, 0.0]))
    st.refused[A] = (np.array([0, 1]), terms, on_table)
    st.blockading[0] = True
    st.accord = Accord(kind="agreement", forum=None, signatories={A, B}, bound={A, B}, monitoring=0.0)
    coercion.choose_blockades(s, st, d, np.random.default_rng(0), model.log, 1)
    assert not st.blockading.any()


# --- adaptation (section 8) ------------------------------------------------------------------------------------


def test_a_side_losing_ground_moves_its_positions_toward_its_opponents():
    model, s, st, d = parts({"engine.adaptation.harden": False})  # the winner's half: test_model_turns
    before = st.actors.positions.copy()
    shift = np.zeros_like(st.theatre.control)
    shift[0] = [0.02, -0.02]  # B loses 2 points of the front (under a third of a round's most, the pace)
    adaptation.drift_positions(s, st, d, shift)
    pull = 0.1 * min(1.0, 0.02 * d.region_weight[0] / st.theatre.pace[0])
    assert st.actors.positions[B] == pytest.approx(before[B] + pull * (before[A] - before[B]))
    assert st.actors.positions[A].tolist() == before[A].tolist()  # the winner keeps its stand
    # the caches follow: B's grievance is s (hi - x) / span on its new ceasefire position
    assert d.grievance[B] == pytest.approx(0.6 * (100 - st.actors.positions[B, 0]) / 100)


# --- stop rules (section 9) -------------------------------------------------------------------------------------


def test_a_side_below_its_defeat_share_ends_the_run_in_military_victory():
    model, s, st, d = parts()
    assert stop.check(s, st, 1) is None
    st.actors.forces[B] = 0.04 * 20  # below 5% of its start
    assert stop.check(s, st, 1) == "military_victory"
    assert st.winner == "A" and st.defeated == ["B"]


def test_both_sides_below_their_defeat_share_is_mutual_exhaustion():
    model, s, st, d = parts()
    st.actors.forces[[A, B]] = 0.5
    assert stop.check(s, st, 1) == "mutual_exhaustion" and st.winner is None


def test_one_of_three_sides_defeated_is_side_defeated_with_no_winner():
    third = {
        "actors.C": {"name": "Gamma", "role": "belligerent", "capability": 20, "forces": 20},
        "theatre.regions.port.control": {"B": 0.5, "C": 0.5},
    }
    model, s, st, d = parts(third)
    st.actors.forces[A] = 0.5
    assert stop.check(s, st, 1) == "side_defeated"
    assert st.winner is None and st.defeated == ["A"]


def test_an_agreement_that_holds_durability_rounds_ends_the_run():
    model, s, st, d = parts({"engine.stop.durability_rounds": 4})
    st.accord = Accord(kind="agreement", forum="talks", signatories={A, B}, bound={A, B}, monitoring=0.0)
    st.accord.held_rounds = 3
    assert stop.check(s, st, 5) is None
    st.accord.held_rounds = 4
    assert stop.check(s, st, 5) == "durable_agreement"
    # A truce that holds as long does not end the run: only a signed agreement does.
    st.accord.kind = "truce"
    assert stop.check(s, st, 5) is None


def test_the_last_round_labels_the_run_by_its_agreements():
    model, s, st, d = parts({"clock.max_rounds": 20})
    assert stop.check(s, st, 19) is None
    assert stop.check(s, st, 20) == "no_agreement"
    st.partial_signing = True
    assert stop.check(s, st, 20) == "partial_signing"
    st.agreement_signed = True
    st.accord = Accord(kind="agreement", forum="talks", signatories={A, B}, bound={A, B}, monitoring=0.0)
    assert stop.check(s, st, 20) == "agreement_holding"
    st.accord.status = "collapsed"
    assert stop.check(s, st, 20) == "agreement_collapsed"


# --- threats (section 5) and the economy (section 7) -----------------------------------------------------------


def test_a_threat_is_carried_out_with_probability_its_credibility_or_called_and_loses_it():
    """P's threat against A (trigger rung 1, credibility 0.5): about half the draws carry it out (P's channel
    to B grows by the magnitude), the others call it and its credibility drops to 0."""
    threat = {"target": "A", "trigger_rung": 1, "magnitude": 3.0, "credibility": 0.5}
    carried = called = 0
    for seed in range(200):
        model, s, st, d = parts({"actors.P.threats": [threat], "actors.A.rung": 1})
        threats.carry_out(s, st, d, np.random.default_rng(seed), model.log, 1)
        if st.threats.state[0] == "carried_out":
            carried += 1
            assert st.channels.level[0] == pytest.approx(3.0) and st.threats.cred[0] == 0.5
        else:
            called += 1
            assert st.threats.state[0] == "called" and st.threats.cred[0] == 0.0
    assert 0.4 < carried / 200 < 0.6
    # Contrast: below its trigger rung the threat stays open.
    model, s, st, d = parts({"actors.P.threats": [threat]})
    threats.carry_out(s, st, d, np.random.default_rng(0), model.log, 1)
    assert st.threats.state[0] == "open"


def test_fighting_disrupts_the_oil_of_contested_regions():
    """Y = B [(1 - sum o) + sum o_r (1 - b_r)(1 - D_r)], D_r = min(1, fighting_disruption x I) where contested:
    20% of the oil on the front, disruption 0.5, full fighting: 10% of output lost."""
    changes = {"theatre.regions.front.oil": 0.2, "economy.fighting_disruption": 0.5}
    model, s, st, d = parts(changes)
    st.fight = 1.0
    economy_phase.update(s, st, first=False)
    assert st.oil_output == pytest.approx(900_000)
    assert st.oil_loss_bbl == pytest.approx(100_000 * 7)
    st.fight = 0.0
    economy_phase.update(s, st, first=False)
    assert st.oil_output == pytest.approx(1_000_000)


# --- negotiation: mediation (section 2.1) ----------------------------------------------------------------------


def mediated_session(strength_: float) -> tuple[float, float, float]:
    """One EUM round of A, B and the mediator P on land: (the forum's text, what it would be unmediated, P's
    position after the EUM round)."""
    forum = {
        "forums.talks": {
            "name": "Talks",
            "participants": ["A", "B", "P"],
            "mediators": ["P"],
            "issues": ["land"],
            "schedule": {"start": "2020-01-01"},
            "mediation_strength": strength_,
        },
        "engine.bargaining.rounds": 1,
    }
    model, s, st, d = parts(forum)
    talks = st.forums["talks"]
    x = st.actors.positions[talks.grid]
    terms, _ = negotiation.session(s, st, talks, x)
    b = st.engine.bargaining
    settings = bargaining.EUMSettings(variant=b.variant, q=b.q, t=b.t, risk=b.risk, rule=b.rule)
    c, sal = st.actors.capability[talks.participants], st.actors.salience[talks.grid]
    after = bargaining.eum_round(x, c, sal, s.lo[talks.issues], s.hi[talks.issues], settings).x
    return float(terms[0]), float(bargaining.forecast(after, c, sal, b.rule)[0]), float(after[2, 0])


def test_mediators_pull_the_parties_toward_the_forecast_and_so_the_text_toward_the_mediator():
    """x <- x + mu (forecast - x) for the parties, not the mediator: with weights w = capability x salience the
    text moves from the forecast by mu w_P (x_P - forecast) / sum w (docs/MODEL.md section 2.1)."""
    text, unmediated, mediator = mediated_session(0.8)
    w = np.array([50 * 0.9, 50 * 0.9, 30 * 0.5])
    assert text == pytest.approx(unmediated + 0.8 * w[2] * (mediator - unmediated) / w.sum())
    assert abs(mediator - unmediated) > 1.0  # a case where the pull shows
    alone, unmediated_too, _ = mediated_session(0.0)
    assert alone == pytest.approx(unmediated_too)


# --- decision reasons (docs/FORMATS.md, events.jsonl `reasons`) -------------------------------------------------


def test_a_rung_choice_s_reasons_add_up_to_the_utility_of_the_rung_chosen():
    """A rung change logs the terms of the chosen rung's utility, U(k) = gain + grievance - cost - truce
    penalty (`sim.kernels.escalation.rung_utilities`): each reason must be the term of the rung chosen, not
    another rung's, and the cost must include the weariness that raised it (weariness 300: each 1% of the forces
    lost adds three times the base cost, so the sides climb down and back up as the losses mount)."""
    weary, checked = 0, 0
    for seed in range(8):
        model = ConflictModel(scenario=duel({"engine.escalation.weariness": 300.0}), rng=seed, max_rounds=20)
        model.run()
        ladder_cost = [rung.cost for rung in model.spec.ladder]
        for e in model.events:
            if e["type"] != Kind.RUNG_CHANGED:
                continue
            r, k = e["reasons"], e["new"]
            total = r["gain"] + r["grievance"] - r["cost"] - r["truce_penalty"]
            assert r["utilities"][k] == pytest.approx(total, abs=1e-3), (seed, e)
            weary += r["cost"] > 0.4 * ladder_cost[k] + 1e-3  # cost_aversion 0.4 x the rung's cost x W > 1
            checked += 1
    assert checked >= 10 and weary >= 3


def test_a_signing_decision_s_reasons_add_up_to_its_margin_and_name_its_own_chance():
    """A signing decision logs the terms of its margin, margin = t (U_deal - U_war + pressure) - (1 - t) b c
    (`sim.kernels.settlement.settlement_margin`), and `p` is the decider's own chance of winning: A, three times
    B's strength, expects to win, B does not."""
    talks = {
        "forums.talks": {
            "name": "Talks",
            "participants": ["A", "B"],
            "issues": ["ceasefire", "land"],
            "schedule": {"start": "2020-01-01", "every_rounds": 2},
        },
        "actors.A.forces": 60,
    }
    betrayal = 0.5  # the engine's default
    by = {"A": [], "B": []}
    for seed in range(3):
        model = ConflictModel(scenario=duel(talks), rng=seed, max_rounds=8)
        model.run()
        for e in model.events:
            if e["type"] not in (Kind.SIGNED, Kind.REFUSED):
                continue
            r = e["reasons"]
            t = r["trust"]
            expected = t * (r["u_deal"] - r["u_war"] + r["pressure"]) - (1 - t) * betrayal * r["cost"]
            assert r["margin"] == pytest.approx(expected, abs=1e-3) and e["margin"] == pytest.approx(
                r["margin"]
            )
            by[e["actors"][0]].append(r["p"])
    assert by["A"] and by["B"]
    assert min(by["A"]) > 0.6 and max(by["B"]) < 0.4
