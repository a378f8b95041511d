"""Plain-loop references for the compromise model, the Nash bargaining solution, the exchange model and the
Shapley-Shubik index: the yardsticks for sim/bargaining/{compromise,nbs,exchange,power}.py.

Written the slow, obvious way, one issue, actor and pair at a time, from the equations in docs/BARGAINING.md,
with a different algorithm where one exists (the NBS by golden-section search on the Nash product itself, the
Shapley-Shubik index by walking every order of arrival). Imports nothing from `sim`. Positions are lists of
lists [actor][issue] with NaN for "takes no part"; capabilities are per actor and issue.
"""

from __future__ import annotations

import itertools
import math

GAIN_TIE = 1e-12  # as the kernel: a gain below this is no exchange


def _here(v) -> bool:
    return not math.isnan(v)


def compromise(x, c, s):
    out = []
    for q in range(len(x[0])):
        num = den = 0.0
        for i in range(len(x)):
            if _here(x[i][q]):
                num += c[i][q] * s[i][q] * x[i][q]
                den += c[i][q] * s[i][q]
        out.append(num / den if den > 0 else math.nan)
    return out


def nash_objective(o, xs, cs, ss, ds, delta):
    """sum_i c_i log(u_i(o) - d_i), u_i(o) = -s_i ((o - x_i) / delta)^2; -inf outside the feasible set."""
    total = 0.0
    for x, c, s, d in zip(xs, cs, ss, ds, strict=True):
        surplus = -s * ((o - x) / delta) ** 2 - d
        if surplus <= 0:
            return -math.inf
        total += c * math.log(surplus)
    return total


def nash_bargaining(x, c, s, lo, hi, d):
    """Per issue: the feasible interval from every participant's bound, then golden-section search on it."""
    out = []
    for q in range(len(x[0])):
        take = [i for i in range(len(x)) if _here(x[i][q]) and c[i][q] * s[i][q] > 0]
        if not take or any(d[i][q] > 0 for i in take):
            out.append(math.nan)
            continue
        delta = hi[q] - lo[q]
        low, high = lo[q], hi[q]
        for i in take:
            reach = delta * math.sqrt(-d[i][q] / s[i][q])
            low, high = max(low, x[i][q] - reach), min(high, x[i][q] + reach)
        if high - low < -1e-12 * delta:
            out.append(math.nan)
            continue
        if high - low <= 1e-12 * delta:
            out.append((low + high) / 2)
            continue
        args = (
            [x[i][q] for i in take],
            [c[i][q] for i in take],
            [s[i][q] for i in take],
            [d[i][q] for i in take],
        )
        golden = (math.sqrt(5) - 1) / 2
        a, b = low, high
        for _ in range(200):
            m1, m2 = b - golden * (b - a), a + golden * (b - a)
            if nash_objective(m1, *args, delta) < nash_objective(m2, *args, delta):
                a = m1
            else:
                b = m2
        out.append((a + b) / 2)
    return out


def exchange_round(x, c, s, groups):
    """One round of equal-gain exchanges: the new positions and the realised (i, j, p, q, gain, i_new, j_new)."""
    n, k = len(x), len(x[0])
    w = [[c[i][q] * s[i][q] if _here(x[i][q]) else 0.0 for q in range(k)] for i in range(n)]
    total = [sum(w[i][q] for i in range(n)) for q in range(k)]
    out = compromise(x, c, s)

    def side(i, q):
        if w[i][q] <= 0 or x[i][q] == out[q]:
            return 0
        return 1 if x[i][q] > out[q] else -1

    found = []
    for i, j in itertools.combinations(range(n), 2):
        for p, q in itertools.permutations(range(k), 2):
            if groups[p] != groups[q]:
                continue
            if not (side(i, p) * side(j, p) < 0 and side(i, q) * side(j, q) < 0):
                continue
            s_ip, s_jp, s_iq, s_jq = s[i][p], s[j][p], s[i][q], s[j][q]
            if not s_iq * s_jp - s_ip * s_jq > GAIN_TIE:
                continue
            max_p = min(w[i][p] * abs(x[i][p] - x[j][p]) / total[p], abs(x[j][p] - out[p]))
            max_q = min(w[j][q] * abs(x[i][q] - x[j][q]) / total[q], abs(x[i][q] - out[q]))
            ratio = (s_ip + s_jp) / (s_iq + s_jq)
            d_p = min(max_p, max_q / ratio)
            d_q = ratio * d_p
            gain = s_iq * d_q - s_ip * d_p
            if not gain > GAIN_TIE:
                continue
            step_i = min(d_p * total[p] / w[i][p], abs(x[i][p] - x[j][p]))
            step_j = min(d_q * total[q] / w[j][q], abs(x[i][q] - x[j][q]))
            new_i = x[i][p] + math.copysign(1.0, x[j][p] - x[i][p]) * step_i
            new_j = x[j][q] + math.copysign(1.0, x[i][q] - x[j][q]) * step_j
            found.append((i, j, p, q, gain, new_i, new_j))
    found.sort(key=lambda e: (-e[4], e[0], e[1], e[2], e[3]))
    used, realised = set(), []
    new = [row[:] for row in x]
    for i, j, p, q, gain, new_i, new_j in found:
        pairs = {(a, e) for a in (i, j) for e in (p, q)}
        if pairs & used:
            continue
        used |= pairs
        new[i][p], new[j][q] = new_i, new_j
        realised.append((i, j, p, q, gain, new_i, new_j))
    return new, realised


def exchange_run(x, c, s, rounds, groups):
    history, done = [[row[:] for row in x]], []
    for rnd in range(1, rounds + 1):
        new, realised = exchange_round(history[-1], c, s, groups)
        if not realised:
            break
        history.append(new)
        done.extend((rnd, *e) for e in realised)
    return history, done


def shapley_shubik(weights, quota, min_members=0, min_blockers=0):
    """Walk every order of arrival; the player whose arrival makes the coalition win is pivotal."""
    n = len(weights)

    def wins(members):
        return (sum(weights[m] for m in members) >= quota and len(members) >= min_members) or (
            n - len(members) < min_blockers
        )

    pivots = [0] * n
    for order in itertools.permutations(range(n)):
        for at in range(n):
            if wins(order[: at + 1]) and not wins(order[:at]):
                pivots[order[at]] += 1
                break
    return [p / math.factorial(n) for p in pivots]
