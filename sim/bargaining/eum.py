"""The Expected Utility Model (EUM) of stakeholder bargaining, vectorised over actors and issues.

Bueno de Mesquita's model as specified by Scholz, Calbert & Smith (2011), "Unravelling Bueno de Mesquita's group
decision model", J. Theoretical Politics 23(4) (conference version: scitepress.org/PublishedPapers/2011/31215),
with the readings of `research/bargaining-models.md` sections 1 and 1.3 and `research/eum-replication.md`.
`docs/BARGAINING.md` gives every equation as built and every ambiguity with the reading chosen.

Arrays: positions `x` (n, k) for n actors and k issues (NaN: the actor takes no part in that issue),
capabilities `c` (n,), or (n, k) where they differ by issue (an EU proposal's procedure and voting rule),
saliences `s` (n, k) in [0, 1], scale ends `lo`, `hi` (k,) with Delta = hi - lo.
Issues are bargained independently: k is a batch axis. Internally everything is issue-major, (k, n) and
(k, n, n), so that a dyad matrix M[q, a, o] reads "on issue q, actor a's view of actor o".

Two named readings (`EUMSettings.variant`):
- `paper`: P_ij + P_ji = 1 (each dyad's own vote total), capitulation works (E1 < 0 < E2 < |E1|: move all the way);
- `compat`: Scholz's own code (the pure-Python port `jmckib/bdm-scholz-expected-utility-model`): P's
  denominator sums |votes| over all (voter, a, b) triples, and the capitulation branch never fires. This is the
  reading that reproduces the published EC trajectory (eum-replication.md section 2).
Both use risk exponents in the votes, risk recomputed from r = 1 each round, and (by default) Scholz's choice
among compromise offers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np

KINDS = ("confrontation", "compromise", "capitulation")
VARIANTS = ("paper", "compat")
RISK_MODES = ("endogenous", "fixed")
RULES = ("mean", "median")
CHOICES = ("scholz", "least_move")

# Danger levels closer than this (relative) count as all equal: R = 0, r = 1 (Scholz's port divides by zero).
_EQUAL_DANGER = 1e-12
# Offer tests and choices treat differences below these as ties (EUs are O(1); keys are positions, relative to
# Delta), so a decision never hinges on rounding noise, which differs between summation orders and machines.
_EU_TIE = 1e-12
_KEY_TIE = 1e-12
# Largest (issue x voter x row x column) block built at once when summing votes; bounds the temporary at ~8 MB.
_VOTE_BLOCK = 1_000_000
# Issues are grouped by their number of actors rounded up to a multiple of this (see `_round`).
_WIDTH_STEP = 4


@dataclass(frozen=True)
class EUMSettings:
    """Model settings, with the paper's defaults (Q = T = 1: the status quo persists when nobody challenges).

    choice: which offer an actor accepts. `scholz` (default, both variants): a confrontation if it has one (the
    one that moves it least), else a compromise (the one with the smallest |E1| x_a + |E2| x_o over |E1| + |E2|,
    Scholz's special case), else a capitulation (least move). `least_move`: the offer of any kind that moves it
    least, as the paper's text and BDM describe it.
    """

    variant: str = "paper"
    q: float = 1.0
    t: float = 1.0
    risk: str = "endogenous"
    rule: str = "mean"
    choice: str = "scholz"

    def __post_init__(self) -> None:
        for name, allowed in (
            ("variant", VARIANTS),
            ("risk", RISK_MODES),
            ("rule", RULES),
            ("choice", CHOICES),
        ):
            if getattr(self, name) not in allowed:
                raise ValueError(f"EUMSettings.{name} must be one of {allowed}, got {getattr(self, name)!r}")
        for name in ("q", "t"):
            if not 0.0 <= getattr(self, name) <= 1.0:
                raise ValueError(f"EUMSettings.{name} must lie in [0, 1], got {getattr(self, name)!r}")


class Move(NamedTuple):
    """One accepted offer: `mover` takes `new` (from `old`) on `issue`, because of `toward`'s offer.

    eu_mover = E^mover(U_mover,toward) and eu_other = E^mover(U_toward,mover), both as the mover sees them.
    """

    issue: int
    mover: int
    toward: int
    kind: str
    old: float
    new: float
    eu_mover: float
    eu_other: float


class RunMove(NamedTuple):
    """A Move with the round (1-based) in which it happened; `move` keeps Move's fields declared once."""

    round: int
    move: Move


@dataclass(frozen=True)
class RoundResult:
    x: np.ndarray  # (n, k) positions after the round
    moves: list[Move]
    risk: np.ndarray  # (n, k) risk exponents the actors used this round (NaN where absent)


@dataclass(frozen=True)
class RunResult:
    positions: np.ndarray  # (rounds_run + 1, n, k)
    forecasts: np.ndarray  # (rounds_run + 1, k) per the settings' rule
    moves: list[RunMove] = field(default_factory=list)
    rounds_run: int = 0
    converged: bool = False


# ------------------------------------------------------------------------------------------------ inputs


@dataclass(frozen=True)
class _Issues:
    """Issue-major views of the inputs: absent actors have weight 0 and a finite placeholder position."""

    x: np.ndarray  # (k, n), lo where absent
    present: np.ndarray  # (k, n) bool
    s: np.ndarray  # (k, n), 0 where absent
    w: np.ndarray  # (k, n) capability x salience, 0 where absent
    delta: np.ndarray  # (k,)
    lo: np.ndarray  # (k,)


def _as_issues(x, c, s, lo=None, hi=None) -> _Issues:
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
    return _Issues(
        x=xt,
        present=present.T.copy(),
        s=s_here.T.copy(),
        w=((c[:, None] if c.ndim == 1 else c) * s_here).T.copy(),
        delta=delta,
        lo=lo_k,
    )


# -------------------------------------------------------------------------------------------- forecasts


def _weighted_mean(iss: _Issues) -> np.ndarray:
    total = iss.w.sum(axis=1)
    num = (iss.w * iss.x).sum(axis=1)
    return np.divide(num, total, out=np.full_like(total, np.nan), where=total > 0)


def _median_voter(iss: _Issues) -> np.ndarray:
    key = np.where(iss.present, iss.x, np.inf)
    order = np.argsort(key, axis=1, kind="stable")
    xs = np.take_along_axis(iss.x, order, axis=1)
    ws = np.take_along_axis(iss.w, order, axis=1)
    top = ws.max(axis=1, keepdims=True)
    ws = np.divide(ws, top, out=np.zeros_like(ws), where=top > 0)  # scale-free: tiny weights cannot underflow
    cum = np.cumsum(ws, axis=1)
    total = cum[:, -1:]
    half = total / 2
    slack = 1e-12 * total
    # The minimisers of sum_i w_i |x_i - x| form [x_L, x_U]: x_L where the weight below first reaches half,
    # x_U where it first exceeds half. They differ only when the weight splits exactly in half: take the midpoint.
    low = np.argmax(cum >= half - slack, axis=1)
    high = np.argmax(cum > half + slack, axis=1)
    rows = np.arange(len(low))
    out = (xs[rows, low] + xs[rows, high]) / 2
    return np.where(total[:, 0] > 0, out, np.nan)


def weighted_mean(x, c, s) -> np.ndarray:
    """Capability x salience weighted mean per issue: mu = sum_i c_i s_i x_i / sum_i c_i s_i.  (k,)

    Absent actors (NaN position) are left out; an issue where no one has weight gets NaN.
    Source: BDM (1994); Scholz et al. (2011), eq. 1.
    """
    return _weighted_mean(_as_issues(x, c, s))


def median_voter(x, c, s) -> np.ndarray:
    """BDM's "median voter": the actor position that wins every pairwise vote.  (k,)

    v(j vs m) = sum_i c_i s_i (|x_i - x_m| - |x_i - x_j|) / Delta; in one dimension the Condorcet winner among
    the actors' positions is the capability x salience weighted median. When the weight splits exactly in
    half, the positions between the two middle ones tie and the midpoint of that interval is returned.
    Source: Scholz et al. (2011), eq. 2; BDM (1994).
    """
    return _median_voter(_as_issues(x, c, s))


def forecast(x, c, s, rule: str) -> np.ndarray:
    """The forecast per issue under a decision rule: `mean` (weighted mean) or `median` (median voter)."""
    if rule not in RULES:
        raise ValueError(f"rule must be one of {RULES}, got {rule!r}")
    return weighted_mean(x, c, s) if rule == "mean" else median_voter(x, c, s)


def _forecast(iss: _Issues, rule: str) -> np.ndarray:
    return _weighted_mean(iss) if rule == "mean" else _median_voter(iss)


# ----------------------------------------------------------------------------------------- probabilities


def risk_exponent(big_r) -> np.ndarray:
    """r = (1 - R/3) / (1 + R/3): maps a risk attitude R in [-1, 1] (1 most risk-acceptant) to r in [0.5, 2].

    Source: Scholz et al. (2011), eq. 8. Also maps a scenario's fixed `risk` attitude to its exponent.
    """
    big_r = np.asarray(big_r, dtype=float)
    return (1 - big_r / 3) / (1 + big_r / 3)


def _vote_numerator(dist: np.ndarray, w: np.ndarray) -> np.ndarray:
    """N[q, i, j] = sum_v w[q, v] * max(dist[q, v, j] - dist[q, v, i], 0): the votes for i against j.

    dist[q, v, a] is voter v's (risk-weighted) distance to actor a's position. O(k n^3) work, built in
    blocks of rows so that memory stays bounded.
    """
    k, n, _ = dist.shape
    out = np.empty((k, n, n))
    per_issue = n * n * n
    issues_per_block = max(1, _VOTE_BLOCK // max(per_issue, 1))
    rows_per_block = n if issues_per_block > 1 else max(1, _VOTE_BLOCK // max(n * n, 1))
    for q0 in range(0, k, issues_per_block):
        q1 = min(k, q0 + issues_per_block)
        for i0 in range(0, n, rows_per_block):
            i1 = min(n, i0 + rows_per_block)
            diff = dist[q0:q1, :, None, :] - dist[q0:q1, :, i0:i1, None]  # (q, v, i, j)
            np.maximum(diff, 0.0, out=diff)
            # einsum rather than a batched matmul: no BLAS threads (slow on a busy machine for these thin
            # products) and one fixed summation order on every machine.
            prod = np.einsum("qv,qvm->qm", w[q0:q1], diff.reshape(q1 - q0, n, -1))
            out[q0:q1, i0:i1, :] = prod.reshape(q1 - q0, i1 - i0, n)
    return out


def win_probabilities(iss: _Issues, r: np.ndarray, variant: str) -> np.ndarray:
    """P[q, i, j]: probability that i beats j on issue q, from every actor's votes.

        P_ij = sum_{v: d_v > 0} w_v d_v / D,   d_v = (|x_v - x_j| / Delta)^r_v - (|x_v - x_i| / Delta)^r_v

    with w_v = c_v s_v and the voter's own risk exponent r_v in the votes (Scholz's code). The denominator is
    D_ij = sum_v w_v |d_v| in the `paper` variant, so P_ij + P_ji = 1 (0.5 each when nobody's vote separates
    them), and D = sum over all (v, a, b) triples in `compat` (one number per issue; P = 0 if it is 0).
    P = 0 where x_i = x_j (exact equality, as in the port). Source: Scholz et al. (2011), eq. 3.
    """
    gap = np.abs(iss.x[:, :, None] - iss.x[:, None, :]) / iss.delta[:, None, None]
    dist = gap if np.all(r == 1.0) else gap ** r[:, :, None]
    num = _vote_numerator(dist, iss.w)
    pair = iss.present[:, :, None] & iss.present[:, None, :]
    num = np.where(pair, num, 0.0)
    both = num + num.transpose(0, 2, 1)  # sum_v w_v |d_v|, since max(d, 0) + max(-d, 0) = |d|
    if variant == "paper":
        p = np.divide(num, both, out=np.full_like(num, 0.5), where=both > 0)
    else:
        total = both.sum(axis=(1, 2))[:, None, None]
        p = np.divide(num, total, out=np.zeros_like(num), where=total > 0)
    same = iss.x[:, :, None] == iss.x[:, None, :]
    return np.where(same | ~pair, 0.0, p)


# ------------------------------------------------------------------------------------ expected utilities


def expected_utilities(
    iss: _Issues, p: np.ndarray, r: np.ndarray, mu: np.ndarray, q: float, t: float, tables=("E1", "E2")
) -> list[np.ndarray]:
    """E1[., a, o] = E^a(U_ao) (a challenges o) and E2[., a, o] = E^a(U_oa) (o challenges a), both as a sees them.

        E^a(U_ij) = s_j [P_ij U_s + (1 - P_ij) U_f] + (1 - s_j) U_s - Q U_sq - (1 - Q)[T U_b + (1 - T) U_w]
        U_s  = 2 - 4 (0.5 - 0.5 |x_i - x_j| / Delta)^r_a          U_f = 2 - 4 (0.5 + 0.5 |x_i - x_j| / Delta)^r_a
        U_b  = 2 - 4 (0.5 - 0.25 (|x_i - mu| + |x_i - x_j|) / Delta)^r_a     U_w: the same with +
        U_sq = 2 - 4 (0.5)^r_a

    a's own exponent r_a is used for every utility a computes, also those it attributes to others (Scholz et
    al.; the port's docstring). s_j is the salience of the actor challenged (the paper's mirror expression
    prints s_j; Masad flags it as a typo and so do we). mu is the current forecast (BDM: the expected outcome
    if nobody challenges). Source: Scholz et al. (2011), eqs. 4-7.
    Returns the tables named in `tables`, in that order (the neutral-risk pass needs only E2).
    """
    ra = r[:, :, None]
    d = np.abs(iss.x[:, :, None] - iss.x[:, None, :]) / iss.delta[:, None, None]
    u_s = 2 - 4 * (0.5 - 0.5 * d) ** ra
    u_f = 2 - 4 * (0.5 + 0.5 * d) ** ra
    u_sq = 2 - 4 * 0.5**ra
    m = np.abs(iss.x - mu[:, None]) / iss.delta[:, None] if q < 1 else None
    out = []
    for table in tables:
        # E1: the challenger i is a (axis 1) and j is o (axis 2); E2 the other way round
        e1 = table == "E1"
        s_j = iss.s[:, None, :] if e1 else iss.s[:, :, None]
        p_ij = p if e1 else p.transpose(0, 2, 1)
        e = s_j * (p_ij * u_s + (1 - p_ij) * u_f) + (1 - s_j) * u_s - q * u_sq
        if m is not None:
            m_challenger = m[:, :, None] if e1 else m[:, None, :]
            # m + d <= 2 on the scale; rounding (a forecast a hair outside the hull) must not make the base < 0
            u_b = 2 - 4 * np.maximum(0.5 - 0.25 * (m_challenger + d), 0.0) ** ra
            u_w = 2 - 4 * (0.5 + 0.25 * (m_challenger + d)) ** ra
            e -= (1 - q) * (t * u_b + (1 - t) * u_w)
        out.append(e)
    return out


def endogenous_risk(iss: _Issues, e2: np.ndarray) -> np.ndarray:
    """Risk exponents from each actor's exposure relative to everyone else's (Scholz's reading).

        danger_a = sum_{o != a} E^a(U_oa)
        R_a = (2 danger_a - max_b danger_b - min_b danger_b) / (max - min),   r_a = (1 - R_a/3) / (1 + R_a/3)

    computed from E2 evaluated with every r = 1. All (nearly) equal danger levels give R = 0, r = 1, where
    Scholz's port divides by zero. Source: Scholz et al. (2011), eqs. 8-9; BDM (1985).
    """
    k, n = iss.x.shape
    others = iss.present[:, None, :] & ~np.eye(n, dtype=bool)[None]
    danger = np.where(others, e2, 0.0).sum(axis=2)
    hi = np.where(iss.present, danger, -np.inf).max(axis=1, initial=-np.inf)
    lo = np.where(iss.present, danger, np.inf).min(axis=1, initial=np.inf)
    some = iss.present.any(axis=1)
    hi, lo = np.where(some, hi, 0.0), np.where(some, lo, 0.0)
    spread = hi - lo
    ok = spread > _EQUAL_DANGER * (1 + np.maximum(np.abs(hi), np.abs(lo)))
    big_r = np.where(ok[:, None], (2 * danger - (hi + lo)[:, None]) / np.where(ok, spread, 1.0)[:, None], 0.0)
    return np.where(iss.present, risk_exponent(big_r), 1.0)


# ---------------------------------------------------------------------------------------------- offers


def _grid(k: int, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Index arrays (k, 1) and (n,) that, with a (k, n) array of partners, pick M[q, a, partner[q, a]]: the
    same gather as np.take_along_axis, without its per-call overhead (these tables are small)."""
    return np.arange(k)[:, None], np.arange(n)


def _first_min(keys: np.ndarray, tie: np.ndarray) -> np.ndarray:
    """Index of the first key within `tie` of the smallest along the last axis (ties go to the lower index)."""
    return np.argmax(keys <= keys.min(axis=-1, keepdims=True) + tie, axis=-1)


def _choose_offers(iss: _Issues, e1, e2, variant: str, choice: str):
    """Each actor's accepted offer: (kind index (k, n) or -1, partner (k, n), new position (k, n)).

    Octants, seen by the receiving actor a facing o (x_a != x_o):
        confrontation  E2 > E1 > 0                 a loses and moves to x_o
        compromise     E1 < 0 < E2,  E2 > |E1|     a moves toward o by (x_o - x_a) |E1 / E2|
        capitulation   E1 < 0 < E2,  E2 < |E1|     a moves to x_o (`paper`; never in `compat`, whose test
                                                    `eu_ji < abs(eu_ji)` cannot be true)
    Source: Scholz et al. (2011), section 2.5; research/bargaining-models.md section 1.3.
    """
    xa = iss.x[:, :, None]
    xo = iss.x[:, None, :]
    valid = iss.present[:, :, None] & iss.present[:, None, :] & (xa != xo)
    eps = _EU_TIE
    conf = valid & (e2 - e1 > eps) & (e1 > eps)
    challenged = valid & (e2 > eps) & (e1 < -eps)
    abs1 = np.abs(e1)
    comp = challenged & (e2 - abs1 > eps)
    cap = challenged & (abs1 - e2 > eps) if variant == "paper" else np.zeros_like(valid)
    ratio = np.divide(abs1, e2, out=np.zeros_like(e1), where=comp)
    comp_new = xa + (xo - xa) * ratio
    to_partner = np.abs(xo - xa)  # how far a confrontation or a capitulation moves a: all the way to x_o
    tie = _KEY_TIE * iss.delta[:, None, None]
    if choice == "least_move":
        masks = np.stack([conf, comp, cap], axis=2)  # (k, n, kind, n)
        move = np.stack([to_partner, np.abs(comp_new - xa), to_partner], axis=2)
        keys = np.where(masks, move, np.inf).reshape(*e1.shape[:2], -1)
        best = _first_min(keys, tie)
        found = np.isfinite(np.take_along_axis(keys, best[:, :, None], axis=2)[:, :, 0])
        kind, partner = np.divmod(best, e1.shape[2])
    else:
        abs2 = np.abs(e2)
        denom = np.where(comp, abs1 + abs2, 1.0)
        comp_key = (abs1 * xa + abs2 * xo) / denom
        # (kind, k, n) in one array call: np.stack's Python-level overhead outweighs the work on these tables
        has = np.array([conf, comp, cap]).any(axis=3)
        found = has.any(axis=0)
        kind = has.argmax(axis=0)
        # Each actor's keys for the kind it takes (an actor with no offer gets all inf and partner 0).
        picked = kind[:, :, None]
        keys = np.where(
            picked == 1,
            np.where(comp, comp_key, np.inf),
            np.where(np.where(picked == 0, conf, cap), to_partner, np.inf),
        )
        partner = _first_min(keys, tie)
    issue, actor = _grid(*partner.shape)
    new = np.where(kind == 1, comp_new[issue, actor, partner], iss.x[issue, partner])
    return np.where(found, kind, -1), partner, np.where(found, new, iss.x)


# ---------------------------------------------------------------------------------------------- rounds


def _check_fixed_risk(fixed_risk, n: int, k: int) -> np.ndarray:
    if fixed_risk is None:
        raise ValueError("settings.risk == 'fixed' needs fixed_risk: one exponent r_i in [0.5, 2] per actor")
    r = np.asarray(fixed_risk, dtype=float)
    if r.shape != (n,):
        raise ValueError(f"fixed_risk must have shape ({n},), got {r.shape}")
    if np.any(~((r >= 0.5) & (r <= 2.0))):
        raise ValueError("fixed_risk exponents must lie in [0.5, 2]")
    return np.broadcast_to(r[None, :], (k, n)).copy()


def _round_dense(iss: _Issues, settings: EUMSettings, fixed_r: np.ndarray | None):
    """One round on issues sharing an actor axis: (kind, partner, new position, E1, E2 of the pick, r), (k, n)."""
    k, n = iss.x.shape
    mu = _forecast(iss, settings.rule)
    if fixed_r is None:
        ones = np.ones((k, n))
        p1 = win_probabilities(iss, ones, settings.variant)
        (e2_neutral,) = expected_utilities(iss, p1, ones, mu, settings.q, settings.t, tables=("E2",))
        r = endogenous_risk(iss, e2_neutral)
    else:
        r = fixed_r
    p = win_probabilities(iss, r, settings.variant)
    e1, e2 = expected_utilities(iss, p, r, mu, settings.q, settings.t)
    kind, partner, new = _choose_offers(iss, e1, e2, settings.variant, settings.choice)
    issue, actor = _grid(k, n)
    return kind, partner, new, e1[issue, actor, partner], e2[issue, actor, partner], r


def _round(iss: _Issues, settings: EUMSettings, fixed_r: np.ndarray | None):
    """One round on every issue; returns new positions (k, n), the moves, and the exponents used.

    The work is O(n^3) per issue, so issues are bargained in groups by how many actors take part, each group
    on an actor axis just wide enough for it (present actors first, in their original order, so that every
    tie still goes to the actor listed first). DEU III issues have 2 to 30 actors: this saves about 3/4.
    """
    k, n = iss.x.shape
    if iss.present.all():  # one group in the original order: no regrouping to do (small tables, e.g. a forum)
        kind, partner, new, e_mover, e_other, r = _round_dense(iss, settings, fixed_r)
        return new, _moves(iss, kind, partner, new, e_mover, e_other), r
    counts = iss.present.sum(axis=1)
    widths = np.minimum(n, -(-np.maximum(counts, 1) // _WIDTH_STEP) * _WIDTH_STEP)
    kind = np.full((k, n), -1)
    partner = np.zeros((k, n), dtype=int)
    new = iss.x.copy()
    e_mover = np.zeros((k, n))
    e_other = np.zeros((k, n))
    r = np.ones((k, n))
    for m in np.unique(widths):
        q = np.flatnonzero(widths == m)
        order = np.argsort(~iss.present[q], axis=1, kind="stable")[:, :m]
        rows = q[:, None]
        sub = _Issues(iss.x[rows, order], iss.present[rows, order], iss.s[rows, order], iss.w[rows, order],
                      iss.delta[q], iss.lo[q])  # fmt: skip
        fixed_sub = None if fixed_r is None else fixed_r[rows, order]
        kind_b, partner_b, new_b, e1_b, e2_b, r_b = _round_dense(sub, settings, fixed_sub)
        kind[rows, order] = kind_b
        partner[rows, order] = np.take_along_axis(order, partner_b, axis=1)
        new[rows, order] = new_b
        e_mover[rows, order] = e1_b
        e_other[rows, order] = e2_b
        r[rows, order] = r_b
    return new, _moves(iss, kind, partner, new, e_mover, e_other), np.where(iss.present, r, np.nan)


def _moves(iss: _Issues, kind, partner, new, e_mover, e_other) -> list[Move]:
    """The accepted offers of a round as Moves, issue by issue, actors in their order."""
    at = np.nonzero(kind >= 0)
    columns = (partner[at], kind[at], iss.x[at], new[at], e_mover[at], e_other[at])
    return [
        Move(q, a, p, KINDS[kd], old, new_x, eu_mover, eu_other)
        for q, a, p, kd, old, new_x, eu_mover, eu_other in zip(
            at[0].tolist(), at[1].tolist(), *(col.tolist() for col in columns), strict=True
        )
    ]


def _with_positions(iss: _Issues, xt: np.ndarray) -> _Issues:
    return _Issues(xt, iss.present, iss.s, iss.w, iss.delta, iss.lo)


def _positions(iss: _Issues) -> np.ndarray:
    return np.where(iss.present, iss.x, np.nan).T.copy()


def eum_round(x, c, s, lo, hi, settings: EUMSettings, fixed_risk=None) -> RoundResult:
    """One EUM round on every issue at once; all actors move simultaneously.

    1. risk exponents: from scratch with every r = 1 (endogenous), or `fixed_risk` (n,) in [0.5, 2];
    2. win probabilities and the expected utilities of every challenge, with those exponents;
    3. each actor accepts its best offer (see `EUMSettings.choice`) and takes the new position.
    Delta = hi - lo per issue. Returns the new positions (n, k) (NaN where absent), the moves, the exponents.
    """
    iss = _as_issues(x, c, s, lo, hi)
    k, n = iss.x.shape
    fixed_r = _check_fixed_risk(fixed_risk, n, k) if settings.risk == "fixed" else None
    new, moves, r = _round(iss, settings, fixed_r)
    return RoundResult(_positions(_with_positions(iss, new)), moves, r.T.copy())


def eum_run(x, c, s, lo, hi, settings: EUMSettings, rounds: int, tol=None, fixed_risk=None) -> RunResult:
    """Up to `rounds` EUM rounds; stops early once the forecast moves less than `tol` on every issue.

    BDM's stopping rule: bargaining ends when the predicted outcome changes less than a threshold from one round
    to the next (Predicting Politics, 2002). Without `tol` all rounds run. Delta = hi - lo stays fixed.
    """
    if rounds < 0:
        raise ValueError("rounds must be >= 0")
    iss = _as_issues(x, c, s, lo, hi)
    k, n = iss.x.shape
    fixed_r = _check_fixed_risk(fixed_risk, n, k) if settings.risk == "fixed" else None
    positions = [_positions(iss)]
    forecasts = [_forecast(iss, settings.rule)]
    moves: list[RunMove] = []
    converged = False
    for rnd in range(1, rounds + 1):
        new, round_moves, _ = _round(iss, settings, fixed_r)
        iss = _with_positions(iss, new)
        positions.append(_positions(iss))
        forecasts.append(_forecast(iss, settings.rule))
        moves.extend(RunMove(rnd, m) for m in round_moves)
        if tol is not None:
            change = np.abs(forecasts[-1] - forecasts[-2])
            if np.all(np.where(np.isnan(change), 0.0, change) < tol):
                converged = True
                break
    return RunResult(np.stack(positions), np.stack(forecasts), moves, len(positions) - 1, converged)
