"""Phase 9, economy (docs/MODEL.md section 7): oil output after blockades and fighting, each side's revenue
and its share lost, and the running losses (`sim.kernels.economy`)."""

from __future__ import annotations

import numpy as np

from sim.engine.state import State
from sim.engine.structure import Structure
from sim.kernels import economy


def update(s: Structure, st: State, first: bool) -> None:
    """Output, revenue and losses this round; `first`: the starting state (round 0), where nothing is lost yet."""
    ec, te = st.economy, st.theatre
    blocked = economy.blocked_share(te.control, st.blockading)
    disrupted = economy.disruption(te.contested, st.fight, ec.fighting_disruption)
    st.oil_output = economy.oil_output(ec.oil_baseline_bpd, te.oil, blocked, disrupted)
    receiver = ec.revenue_to
    if receiver is None:  # each side sells what it holds
        shares = economy.revenue_shares(te.control, te.oil, None)
        flowing = economy.revenue_shares(
            te.control * ((1 - blocked) * (1 - disrupted))[:, None], te.oil, None
        )
        st.revenue = ec.oil_baseline_bpd * ec.oil_price_usd * flowing * te.oil.sum()
        st.revenue_loss_share = np.where(shares > 0, 1.0 - flowing / np.where(shares > 0, shares, 1.0), 0.0)
    else:  # one national receiver; an actor on no side (a neutral institution) leaves every side nothing
        side = int(s.side_of[s.actor_index[receiver]])
        shares = economy.revenue_shares(te.control, te.oil, side) if side >= 0 else np.zeros(len(s.sides))
        st.revenue = shares * st.oil_output * ec.oil_price_usd
        lost = 1.0 - st.oil_output / ec.oil_baseline_bpd if ec.oil_baseline_bpd > 0 else 0.0
        st.revenue_loss_share = np.where(shares > 0, lost, 0.0)
    if not first:
        days = s.round_days
        st.oil_loss_bbl += (ec.oil_baseline_bpd - st.oil_output) * days
        st.revenue_loss_usd += (ec.oil_baseline_bpd - st.oil_output) * days * ec.oil_price_usd
