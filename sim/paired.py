"""Intervals for the difference between two scenarios run on the same seeds (paired samples).

With common random numbers run i of scenario A and run i of scenario B share their seed, so their results
are correlated; intervals that treat the two samples as independent would be too wide where the
correlation is positive. Both methods here resample or count pairs, never the two samples apart.
"""

from __future__ import annotations

import warnings

import numpy as np

from sim.sweep.analysis import Z95, wilson


def newcombe_paired(both: int, only_first: int, only_second: int, neither: int, z: float = Z95):
    """95% interval for p2 - p1, the difference of two paired proportions: Newcombe's square-and-add
    (hybrid score) method 10 (Newcombe 1998, Statistics in Medicine 17:2635-2650; as given in Fagerland,
    Lydersen & Laake 2017, Statistical Analysis of Contingency Tables, section 8.5).

    With p1 = (both + only_first)/n, p2 = (both + only_second)/n, D = p2 - p1 and [l_i, u_i] the Wilson
    interval of p_i:

        L = D - sqrt((p2 - l2)^2 + (u1 - p1)^2 - 2 psi (p2 - l2)(u1 - p1))
        U = D + sqrt((u2 - p2)^2 + (p1 - l1)^2 - 2 psi (u2 - p2)(p1 - l1))

    where psi estimates the correlation of the two proportions from the 2 x 2 table: with
    A = both x neither - only_first x only_second and the four margins' product M,
    psi = (A - n/2)/sqrt(M) if A > n/2, 0 if 0 <= A <= n/2, A/sqrt(M) if A < 0 (and 0 if a margin is 0).
    Why this method: it is a score method, so it keeps its coverage near shares of 0 or 1 and at small
    counts, where the Wald interval collapses to a point (Newcombe's comparison of ten methods).
    """
    a, b, c, d = (float(x) for x in (both, only_first, only_second, neither))
    n = a + b + c + d
    p1, p2 = (a + b) / n, (a + c) / n
    (l1, u1), (l2, u2) = (tuple(float(v) for v in wilson(k, n, z)) for k in (a + b, a + c))
    margins = (a + b) * (c + d) * (a + c) * (b + d)
    psi = 0.0
    if margins > 0:
        cross = a * d - b * c
        if cross > n / 2:
            psi = (cross - n / 2) / np.sqrt(margins)
        elif cross < 0:
            psi = cross / np.sqrt(margins)
    diff = p2 - p1
    low = diff - np.sqrt(max(0.0, (p2 - l2) ** 2 + (u1 - p1) ** 2 - 2 * psi * (p2 - l2) * (u1 - p1)))
    high = diff + np.sqrt(max(0.0, (u2 - p2) ** 2 + (p1 - l1) ** 2 - 2 * psi * (u2 - p2) * (p1 - l1)))
    return float(max(-1.0, low)), float(min(1.0, high))


def paired_table(first: np.ndarray, second: np.ndarray) -> tuple[int, int, int, int]:
    """(both, only first, only second, neither) of two boolean arrays over the same runs."""
    first, second = np.asarray(first, bool), np.asarray(second, bool)
    return (
        int(np.sum(first & second)),
        int(np.sum(first & ~second)),
        int(np.sum(~first & second)),
        int(np.sum(~first & ~second)),
    )


def bootstrap_median_difference(
    first: np.ndarray, second: np.ndarray, *, resamples: int = 2000, seed: int = 0, level: float = 0.95
) -> tuple[float | None, float | None]:
    """Percentile interval of median(second) - median(first) by the paired bootstrap (Efron & Tibshirani
    1993, ch. 13): resample run indices with replacement, the same indices for both scenarios, so the
    pairing (and the correlation the common seeds give) is kept. NaN marks a run without a value (the
    event never happened); each median is over the runs with one, and a resample where either scenario has
    none is dropped. Why the bootstrap: a median has no closed-form paired interval, and the dates are
    skewed and discrete (whole rounds). (None, None) when fewer than half the resamples have both medians."""
    first, second = np.asarray(first, float), np.asarray(second, float)
    n = len(first)
    rng = np.random.default_rng(seed)
    found: list[np.ndarray] = []
    chunk = max(1, 2_000_000 // max(n, 1))  # index blocks of about 16 MB
    for start in range(0, resamples, chunk):
        idx = rng.integers(0, n, size=(min(chunk, resamples - start), n))
        # A resample with no value on one side makes nanmedian warn; such resamples are dropped below.
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            d = np.nanmedian(second[idx], axis=1) - np.nanmedian(first[idx], axis=1)
        found.append(d[~np.isnan(d)])
    diffs = np.concatenate(found)
    if len(diffs) < resamples / 2:
        return None, None
    tail = (1 - level) / 2 * 100
    low, high = np.percentile(diffs, [tail, 100 - tail])
    return float(low), float(high)
