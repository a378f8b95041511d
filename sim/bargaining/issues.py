"""The inputs every bargaining model shares, checked and in issue-major form.

Arrays: positions `x` (n, k) for n actors and k issues (NaN: the actor takes no part in that issue),
capabilities `c` (n,), or (n, k) where they differ by issue (an EU proposal's procedure and voting rule),
saliences `s` (n, k) in [0, 1], scale ends `lo`, `hi` (k,) with Delta = hi - lo. Issues are a batch axis:
internally everything is issue-major, (k, n), so that a model's dyad matrix M[q, a, o] reads "on issue q,
actor a's view of actor o".
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Issues:
    """Issue-major views of the inputs: absent actors have weight 0 and a finite placeholder position."""

    x: np.ndarray  # (k, n), lo where absent
    present: np.ndarray  # (k, n) bool
    s: np.ndarray  # (k, n), 0 where absent
    w: np.ndarray  # (k, n) capability x salience, 0 where absent
    delta: np.ndarray  # (k,)
    lo: np.ndarray  # (k,)


def as_issues(x, c, s, lo=None, hi=None) -> Issues:
    """The inputs checked (shapes, ranges, scales) and issue-major; a ValueError names the first problem.

    Without `lo` and `hi` every scale is taken as [0, 1] (for models that use no Delta)."""
    x = np.asarray(x, dtype=float)
    c = np.asarray(c, dtype=float)
    s = np.asarray(s, dtype=float)
    if x.ndim != 2:
        raise ValueError(f"positions must be (n actors, k issues), got shape {x.shape}")
    n, k = x.shape
    if c.shape not in ((n,), (n, k)):
        raise ValueError(f"capabilities must have shape ({n},) or ({n}, {k}) (one per issue), got {c.shape}")
    if s.shape != (n, k):
        raise ValueError(f"saliences must have shape {(n, k)}, got {s.shape}")
    present = ~np.isnan(x)
    # One comparison pair per check: NaN fails both comparisons, +-inf fails one.
    if not ((c >= 0) & (c < np.inf)).all():
        raise ValueError("capabilities must be finite and >= 0")
    s_here = np.where(present, s, 0.0)
    if not ((s_here >= 0) & (s_here <= 1)).all():
        raise ValueError("saliences must lie in [0, 1] wherever an actor has a position")
    if lo is None:
        lo_k, delta = np.zeros(k), np.ones(k)
    else:
        lo_k, hi_k = np.asarray(lo, dtype=float), np.asarray(hi, dtype=float)
        if lo_k.shape != (k,) or hi_k.shape != (k,):  # one scale for every issue
            lo_k, hi_k = np.broadcast_to(lo_k, (k,)), np.broadcast_to(hi_k, (k,))
        delta = hi_k - lo_k
        if np.any(~(delta > 0)):
            raise ValueError("every issue needs a scale with lo < hi")
        outside = present & ((x < lo_k) | (x > hi_k))
        if outside.any():
            actor, issue = np.argwhere(outside)[0]
            raise ValueError(
                f"position {x[actor, issue]} of actor {actor} lies outside the scale "
                f"[{lo_k[issue]}, {hi_k[issue]}] of issue {issue}"
            )
    xt = np.where(present, x, lo_k).T.copy()
    return Issues(
        x=xt,
        present=present.T.copy(),
        s=s_here.T.copy(),
        w=((c[:, None] if c.ndim == 1 else c) * s_here).T.copy(),
        delta=delta,
        lo=lo_k,
    )
