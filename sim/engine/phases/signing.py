"""Signing (docs/MODEL.md section 2.2): each required signatory of a forum's text signs or refuses, with logit
probability of its settlement margin (Fearon's bargaining range, the commitment problem, patron pressure;
`sim.kernels.settlement`). When all have signed, the text becomes the agreement in force; a member of a
coalition (several belligerents on one side) may sign alone: the text is in force once every other required
signatory and at least one required member of each coalition side signed, and it binds only those who signed
(and the clients of patrons who signed; `state.bound_by`)."""

from __future__ import annotations

import numpy as np

from sim.engine.agreements import Accord, Forum, Handover, bound_by, read_text
from sim.engine.derived import Derived, opponent_position, weariness
from sim.engine.log import EventLog, Kind
from sim.engine.phases import learning
from sim.engine.phases.accords import hand_over
from sim.engine.phases.ripeness import ripeness_now
from sim.engine.state import State
from sim.engine.structure import Structure
from sim.kernels import choice, settlement


def decide(
    s: Structure,
    st: State,
    d: Derived,
    forum: Forum,
    strength: np.ndarray,
    rng: np.random.Generator,
    log: EventLog,
    r: int,
) -> None:
    """Each required signatory who has not signed signs or refuses: one U(0, 1) draw each, in order."""
    b = st.engine.bargaining
    p_win = learning.estimate(s, st, strength)  # each side's own estimate (a belief, with learning on)
    assert forum.terms is not None
    terms, on_table = read_text(forum.terms)
    ripe = ripeness_now(s, st)
    refused = []
    for a in forum.required:
        if a in forum.signed:
            continue
        m, reasons = margin(s, st, d, a, forum, p_win, terms, on_table, ripe)
        if rng.random() < choice.logistic(m, b.sign_temperature):
            forum.signed.add(a)
            log.add(r, Kind.SIGNED, [a], forum=forum.id, margin=round(m, 4), reasons=reasons)
        else:
            refused.append(a)
            log.add(r, Kind.REFUSED, [a], forum=forum.id, margin=round(m, 4), reasons=reasons)
    for a in forum.required:
        if a in forum.signed:
            settle(st, a, forum)
        else:
            st.refused[a] = (forum.issues, terms, on_table)
    if complete(s, forum):
        covers = np.isin(s.ceasefire_issues, forum.issues).any()
        signers = {a for a in forum.required if a in forum.signed}
        accord = Accord(
            kind="agreement",
            forum=forum.id,
            signatories=signers,
            bound=bound_by(s, signers),
            monitoring=forum.monitoring,
            guarantee=forum.guarantee,
            status="signed",
            ceasefire=bool(covers),
            oil=bool(np.isin(s.oil_issues, forum.issues).any()),
            issues=forum.issues,
            signed_round=r,
        )
        previous = st.accords.get(forum.id)
        st.accords[forum.id] = accord
        deployed = territorial_terms(s, st, forum, accord, previous, log, r)
        if covers:  # a text on the ceasefire replaces the truce; one on other issues only stands beside it
            st.accord = accord
        st.agreement_signed = True
        if st.first_agreement_round is None:
            st.first_agreement_round = r
        for a in signers:
            settle(st, a, forum)
        log.add(r, Kind.AGREEMENT, sorted(signers), forum=forum.id, terms=terms_of(s, forum), **deployed)
    elif forum.signed and refused:
        st.partial_signing = True
        log.add(
            r,
            Kind.PARTIAL_SIGNING,
            sorted(forum.signed),
            forum=forum.id,
            refused=[s.actor_ids[a] for a in refused],
        )


def territorial_terms(
    s: Structure, st: State, forum: Forum, accord: Accord, previous: Accord | None, log: EventLog, r: int
) -> dict[str, object]:
    """The signed text's territorial terms and peacekeepers go onto its accord (docs/MODEL.md section 6):
    terms due now are carried out at once (`accords.hand_over`), the peacekeepers deploy, watching the
    fronts among their regions (Fortna 2008). A text signed again while the forum's `previous` accord is in
    force renews that accord: its terms carried out stay done, and those not yet due keep their dates. Returns
    what the `agreement` event adds: where the peacekeepers deployed."""
    if previous is not None and previous.in_force:
        accord.handovers = previous.handovers
    else:
        accord.handovers = [Handover(h.region, h.to, h.leaves, h.due) for h in forum.handovers]
    accord.buffer = forum.buffer
    pk = accord.peacekeepers = forum.peacekeepers
    hand_over(s, st, accord, log, r)
    if pk is None:
        return {}
    if st.theatre.contested[pk.regions].any():
        accord.watched = pk.monitoring
    regions = [s.region_ids[g] for g in pk.regions]
    return {"peacekeepers": {"by": s.actor_ids[pk.by], "regions": regions, "forces": pk.forces}}


def complete(s: Structure, forum: Forum) -> bool:
    """Is the forum's text signed enough to be in force? Every required signatory signed, except that on a
    coalition side one required member's signature suffices (each member keeps its own right to refuse)."""
    sides_signed: dict[int, bool] = {}
    for a in forum.required:
        k = s.side_of[a]
        if s.role[a] == "belligerent" and s.coalition[k]:
            sides_signed[k] = sides_signed.get(k, False) or a in forum.signed
        elif a not in forum.signed:
            return False
    return all(sides_signed.values())


def settle(st: State, a: int, forum: Forum) -> None:
    """A party that signed this forum's text no longer holds the text it last refused against anyone, if this
    text covers every issue of that one (an oil deal does not settle a refused ceasefire)."""
    # sets, not np.isin: on 2-5 issues its overhead is most of the signing phase's added cost
    if a in st.refused and set(st.refused[a][0].tolist()) <= set(forum.issues.tolist()):
        del st.refused[a]


def margin(
    s: Structure,
    st: State,
    d: Derived,
    a: int,
    forum: Forum,
    p_win: np.ndarray,
    terms: np.ndarray,
    on_table: np.ndarray,
    ripe: float,
) -> tuple[float, dict[str, float]]:
    """Actor a's settlement margin for the forum's text (`terms`, 0 where `on_table` is False), and the terms
    that made it (the event's `reasons`, docs/FORMATS.md):

    c_a = war_cost cost_aversion_a W + oil_access_a revenue_loss_share_i, t = trust_i + (1 - trust_i) monitoring,
    pressure_a = sum over its side's patrons P of leverage_P (U_P(deal) - U_P(war)), leverage_P its strongest
    lever to side i, ripeness_a = ripeness_weight R c_a (R: `ripe`, the hurting stalemate); then
    `settlement.settlement_margin` (Fearon 1995; Walter 2002; Zartman 1989)."""
    ac, ch, bg = st.actors, st.channels, st.engine.bargaining
    q = forum.issues
    span = s.span[q]
    x_a = d.ideal[a, q]
    k = s.side_of[a]
    opp = opponent_position(s, d, k, q)
    points = np.array([terms, x_a, opp])  # (3, issue): the text, a's ideal, its opponents'
    d_prop, d_opp = settlement.weighted_distance(x_a, points[::2], ac.salience[a, q] * on_table, span)
    pw = float(p_win[k]) if k >= 0 else 1.0
    cost = bg.war_cost * ac.goals["cost_aversion"][a] * weariness(st)
    if k >= 0:
        cost += ac.goals["oil_access"][a] * st.revenue_loss_share[k]
    trust = st.trust[k] if k >= 0 else 1.0
    trust = trust + (1.0 - trust) * forum.monitoring
    trust = trust + (1.0 - trust) * forum.guarantee
    pressure = 0.0
    channels = ((ch.level > 0) & (ch.side == k)).nonzero()[0] if k >= 0 else []
    patrons, levers = ch.src[channels], ch.leverage[channels]
    for patron in sorted(set(patrons.tolist())):
        # One patron presses once, with the leverage of its strongest lever, however many channels it has.
        leverage = float(levers[patrons == patron].max())
        d_deal, d_client, d_rival = settlement.weighted_distance(
            d.ideal[patron, q], points, ac.salience[patron, q] * on_table, span
        )
        u_war = 1.0 - pw * d_client - (1.0 - pw) * d_rival - bg.war_cost * ac.goals["cost_aversion"][patron]
        pressure += leverage * (1.0 - d_deal - u_war)
    ripeness = bg.ripeness_weight * ripe * cost
    u_deal, u_war, m = settlement.settlement_margin(
        d_prop, d_opp, pw, cost, trust, bg.betrayal_cost, pressure, ripeness
    )
    reasons = {
        "u_deal": u_deal,
        "u_war": u_war,
        "p": pw,
        "cost": cost,
        "trust": trust,
        "pressure": pressure,
        "ripeness": ripeness,
        "margin": m,
    }
    return float(m), {k: round(float(v), 4) for k, v in reasons.items()}


def terms_of(s: Structure, forum: Forum) -> dict[str, float]:
    """The forum's text as the log shows it: issue id -> term, rounded to 3 places."""
    assert forum.terms is not None
    return {
        s.issue_ids[j]: round(float(v), 3)
        for j, v in zip(forum.issues, forum.terms, strict=True)
        if v == v  # an open text may leave an issue out (NaN)
    }
