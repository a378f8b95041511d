"""Phase 4, coercion (docs/MODEL.md section 4): a side that refused a text may blockade the oil it holds to
compel better terms (Schelling's compellence); the start or end of a blockade is a logit choice over
`sim.kernels.economy.blockade_utility`."""

from __future__ import annotations

import numpy as np

from sim.engine.derived import Derived, strength
from sim.engine.log import EventLog, Kind
from sim.engine.phases.accords import enforcement, sanction
from sim.engine.phases.escalation import bound
from sim.engine.state import State
from sim.engine.structure import Structure
from sim.kernels import choice, economy, escalation, settlement


def choose_blockades(
    s: Structure, st: State, d: Derived, rng: np.random.Generator, log: EventLog, r: int
) -> None:
    """Each side blockades or not: one U(0, 1) draw per side, in side order."""
    co, temp, ac = st.engine.coercion, st.engine.escalation.temperature, st.actors
    restraint, truce_cost = st.engine.escalation.unmonitored_restraint, st.engine.escalation.truce_cost
    receiver = st.economy.revenue_to
    recv_side = s.side_of[s.actor_index[receiver]] if receiver is not None else None
    held = st.theatre.oil @ st.theatre.control
    uniforms = rng.random(len(s.sides))
    for i, b in enumerate(s.sides):
        rho = 1.0 if recv_side is None or recv_side == i else 0.0
        dissatisfaction = 0.0
        if b in st.refused and not bound_by_agreement(st, b):
            q, terms, on_table = st.refused[b]
            dissatisfaction = float(
                settlement.weighted_distance(d.ideal[b, q], terms, ac.salience[b, q] * on_table, s.span[q])
            )
        u = economy.blockade_utility(
            float(held[i]),
            rho,
            float(ac.goals["oil_access"][b]),
            dissatisfaction,
            co.leverage_weight,
            co.political_cost,
            co.inertia,
            bool(st.blockading[i]),
        )
        # A signatory of an oil accord in force pays the cost of breaking it, as a truce's (docs/MODEL.md 4).
        oil_accords = [acc for acc in st.in_force() if acc.oil and b in acc.bound]
        if oil_accords:
            now = strength(s, st, d)
            m = max(
                sanction(st.engine.escalation, acc, enforcement(s, st, acc, b, now)) for acc in oil_accords
            )
            u -= float(escalation.truce_penalty(ac.goals["ceasefire_adherence"][b], m, restraint, truce_cost))
        # Compellence needs a demand: a side that refused no text does not start a blockade.
        able = held[i] > 0 and (dissatisfaction > 0 or st.blockading[i])
        on = able and uniforms[i] < choice.logistic(u, temp)
        if on != st.blockading[i]:
            kind = Kind.BLOCKADE_STARTED if on else Kind.BLOCKADE_LIFTED
            oil = float(ac.goals["oil_access"][b])
            # the terms of U (economy.blockade_utility), with the sign each enters it with
            reasons = {
                "leverage": round(co.leverage_weight * dissatisfaction * float(held[i]), 4),
                "dissatisfaction": round(dissatisfaction, 4),
                "own_revenue": round(-oil * float(held[i]) * rho, 4),
                "political_cost": -co.political_cost,
                "inertia": co.inertia if st.blockading[i] else -co.inertia,
                "probability": round(float(choice.logistic(u, temp)), 4) if able else 0.0,
            }
            st.blockading[i] = on
            log.add(
                r, kind, [b], oil_share=round(float(held[i]), 4), utility=round(float(u), 4), reasons=reasons
            )
            if on and st.first_blockade_round is None:
                st.first_blockade_round = r


def bound_by_agreement(st: State, a: int) -> bool:
    """Is actor a bound by a signed agreement in force (not merely a truce)?"""
    return bound(st, a) and st.accord is not None and st.accord.kind == "agreement"
