"""The Shapley-Shubik index of a weighted voting game with a member count rule, exactly.

Shapley & Shubik (1954), "A method for evaluating the distribution of power in a committee system", APSR
48(3): player i's power is the share of the n! orders of arrival in which i turns a losing coalition into a
winning one,

    phi_i = sum over coalitions S not containing i that lose while S + {i} wins of |S|! (n - |S| - 1)! / n!

The game: a coalition S wins when its weight sum_{j in S} w_j reaches `quota` and it has at least
`min_members` members, or when fewer than `min_blockers` players are left outside it (the Lisbon rule that a
blocking minority needs at least four members, TEU art. 16(4)). That covers every Council rule the EU has used
for legislation: the pre-Nice and Nice weighted votes (with Nice's majority of members) and Lisbon's double
majority (the weights are populations, the count rule 55 % of the members).

Counting is exact: a table f[m, v] of how many coalitions have m members and weight v (integer weights), built
once for all players and, for each player, reduced to the others by reversing that player's step
(f_without[m, v] = f[m, v] - f_without[m - 1, v - w_i]), all in exact integers.
"""

from __future__ import annotations

from math import lgamma

import numpy as np


def shapley_shubik(weights, quota: int, min_members: int = 0, min_blockers: int = 0) -> np.ndarray:
    """Shapley-Shubik index of each player, (n,), summing to 1 (all zeros if no coalition can win).

    weights: n non-negative integers; quota: the weight a winning coalition needs; min_members: the members it
    needs too; min_blockers: a coalition also wins if fewer than this many players are outside it (0: never).
    """
    w = np.asarray(weights)
    if w.ndim != 1 or len(w) == 0 or not np.issubdtype(w.dtype, np.integer) or np.any(w < 0):
        raise ValueError("weights must be a non-empty 1-D array of non-negative integers")
    n, top = len(w), int(w.sum())
    members = np.arange(n + 1)[:, None]
    weight = np.arange(top + 1)[None, :]
    wins = ((weight >= quota) & (members >= min_members)) | (n - members < min_blockers)
    table = np.zeros((n + 1, top + 1), dtype=np.int64)
    table[0, 0] = 1
    for (
        wi
    ) in w.tolist():  # add one player: coalitions without it, plus those with it (one more member, + w_i)
        grown = table.copy()
        grown[1:, wi:] += table[:-1, : top + 1 - wi]
        table = grown
    # |S|! (n - |S| - 1)! / n! for |S| = 0 .. n - 1, in floating point (the counts above are exact)
    share = np.array([np.exp(lgamma(m + 1) + lgamma(n - m) - lgamma(n + 1)) for m in range(n)])
    out = np.zeros(n)
    for player, wi in enumerate(w.tolist()):
        others = np.zeros((n, top + 1), dtype=np.int64)  # coalitions of the other n - 1 players
        for m in range(n):
            others[m] = table[m]
            if m:
                others[m, wi:] -= others[m - 1, : top + 1 - wi]
        # S (m members, weight v) loses, S + {player} (m + 1, v + w_i) wins
        pivotal = np.zeros((n, top + 1), dtype=bool)
        pivotal[:, : top + 1 - wi] = wins[1:, wi:] & ~wins[:-1, : top + 1 - wi]
        out[player] = float((others * pivotal).sum(axis=1) @ share)
    return out
