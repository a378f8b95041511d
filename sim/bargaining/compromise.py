"""The compromise model: the capability x salience weighted mean of the actors' positions.

    O_q = sum_i c_iq s_iq x_iq / sum_i c_iq s_iq

Each actor pulls the outcome toward its position in proportion to its capability (power resources) times its
salience (how much of that power it spends on the issue). Van den Bos (1991, *Dutch EC Policy Making*) proposed
it; Achen (2006, "Institutional realism and bargaining models", in Thomson, Stokman, Achen & Koenig (eds.), *The
European Union Decides*, CUP) derived it as the limit of the Nash bargaining solution when the disagreement
outcome is bad for everyone alike (see `sim.bargaining.nbs`), and found it as accurate as any model tested on
DEU I; Thomson & Hosli (2006, JCMS 44(2)) and Thomson (2011, *Resolving Controversy in the European Union*)
compare capability schemes for the Commission, the Parliament and the Council inside it. Stokman's exchange
model calls the same number the issue's Nash bargaining solution.

It is the same number as the EUM's round-0 weighted mean (`weighted_mean`), which is why it is that function:
the compromise model with constant capabilities and the EUM before any round agree to the last bit.
"""

from __future__ import annotations

import numpy as np

from sim.bargaining.forecasts import weighted_mean


def compromise(x, c, s) -> np.ndarray:
    """The compromise model's forecast per issue, (k,): sum_i c_i s_i x_i / sum_i c_i s_i.

    x (n, k) positions (NaN: no part in the issue), c (n,) or (n, k) capabilities >= 0, s (n, k) saliences in
    [0, 1]. An issue where no present actor has weight gets NaN. Sources: van den Bos (1991); Achen (2006);
    Thomson et al. (2006).
    """
    return weighted_mean(x, c, s)
