#!/usr/bin/env python3
"""Independent reference values for Promoter.Core's NPS statistics.

Standard library only. Run from anywhere:

    python3 tests/reference/nps_reference.py

It rewrites nps_reference.csv, compare_reference.csv and normal_reference.csv next to this file.
Everything is computed on the unit scale [-1, 1] and printed in points (x100).
The formulas follow the shared research notes (statistics.md §1-2); this file deliberately uses
different numerics from the C# code (statistics.NormalDist for z, math.erfc for p-values, the
textbook Tango formula solved by plain bisection with 200 iterations, like the R package) so the
two can check each other. The textbook formula loses ~1e-9 to cancellation when nearly everyone is
a detractor and n is in the millions; the grid below stays far from that.
"""

import csv
import math
import os
from statistics import NormalDist

STD = NormalDist()
PSEUDO = (0.75, 1.5, 0.75)  # detractors, passives, promoters (Rocks 2016)
HERE = os.path.dirname(os.path.abspath(__file__))


def z_for(level):
    return STD.inv_cdf(1 - (1 - level) / 2)


def nps_and_var(d, m, p):
    n = d + m + p
    pd, pp = d / n, p / n
    return pp - pd, pp + pd - (pp - pd) ** 2, n


def clip(x, lo, hi):
    return max(lo, min(hi, x))


def wald(d, m, p, z):
    est, var, n = nps_and_var(d, m, p)
    half = z * math.sqrt(var / n)
    return clip(est - half, -1.0, 1.0), clip(est + half, -1.0, 1.0)


def adjusted_wald(d, m, p, z):
    cd, cm, cp = PSEUDO
    return wald(d + cd, m + cm, p + cp, z)


def tango_z(d, p, n, delta):
    a = 2 * n
    b = -d - p + (2 * n - p + d) * delta
    c = -d * delta * (1 - delta)
    q = (math.sqrt(max(0.0, b * b - 4 * a * c)) - b) / (2 * a)
    v = n * (2 * q + delta * (1 - delta))
    num = p - d - n * delta
    if v <= 0:
        # 0/0 happens only at delta = estimate when d = p = 0: the statistic is 0 there.
        return 0.0 if num == 0 else math.copysign(math.inf, num)
    return num / math.sqrt(v)


def tango(d, m, p, z):
    n = d + m + p
    est = (p - d) / n
    if p == n:
        high = 1.0
    else:
        lo, hi = est, 1.0
        for _ in range(200):
            mid = (lo + hi) / 2
            if tango_z(d, p, n, mid) > -z:
                lo = mid
            else:
                hi = mid
        high = (lo + hi) / 2
    if d == n:
        low = -1.0
    else:
        lo, hi = -1.0, est
        for _ in range(200):
            mid = (lo + hi) / 2
            if tango_z(d, p, n, mid) < z:
                hi = mid
            else:
                lo = mid
        low = (lo + hi) / 2
    return low, high


METHODS = {"wald": wald, "adjusted-wald": adjusted_wald, "tango": tango}
LEVELS = (0.90, 0.95, 0.99)

ONE_SAMPLE = [
    (54, 108, 162), (0, 0, 10), (10, 0, 0), (0, 10, 0), (0, 0, 1), (1, 0, 0), (0, 1, 0),
    (1, 1, 1), (3, 5, 12), (40, 25, 35), (100, 300, 600), (7, 2, 1),
    (0, 5, 5), (5, 5, 0), (2, 0, 3), (1, 2, 0), (0, 0, 30), (12, 9, 9), (250, 250, 500),
    (1, 0, 1), (33, 0, 0), (0, 3, 1),
]


def one_sample_rows():
    for d, m, p in ONE_SAMPLE:
        est, var, n = nps_and_var(d, m, p)
        se = math.sqrt(var / n)
        for method, fn in METHODS.items():
            for level in LEVELS:
                low, high = fn(d, m, p, z_for(level))
                yield [d, m, p, method, level, 100 * est, 100 * se, 100 * low, 100 * high]


def normal_cdf(x):
    # erfc keeps relative precision in the lower tail, where NormalDist.cdf (1 + erf) cancels.
    return 0.5 * math.erfc(-x / math.sqrt(2))


def two_sided_p(z):
    return 2 * normal_cdf(-abs(z))


def finish(diff, var_sum, level, lo_clip=-2.0, hi_clip=2.0):
    se = math.sqrt(var_sum)
    if se == 0:
        z = 0.0 if diff == 0 else math.copysign(math.inf, diff)
    else:
        z = diff / se
    half = z_for(level) * se
    low, high = clip(diff - half, lo_clip, hi_clip), clip(diff + half, lo_clip, hi_clip)
    return [100 * diff, 100 * se, z, two_sided_p(z), 100 * low, 100 * high]


def independent(a, b, level, adjusted):
    if adjusted:
        a = tuple(x + c for x, c in zip(a, PSEUDO))
        b = tuple(x + c for x, c in zip(b, PSEUDO))
    est_a, var_a, n_a = nps_and_var(*a)
    est_b, var_b, n_b = nps_and_var(*b)
    return finish(est_b - est_a, var_a / n_a + var_b / n_b, level)


def paired(table, level):
    # Rows: category at time A; columns: category at time B; order detractor, passive, promoter.
    s = (-1, 0, 1)
    changes = []
    for i in range(3):
        for j in range(3):
            changes.append((table[3 * i + j], s[j] - s[i]))
    n = sum(c for c, _ in changes)
    mean = sum(c * x for c, x in changes) / n
    var = sum(c * (x - mean) ** 2 for c, x in changes) / n  # population (plug-in) form
    return finish(mean, var / n, level)


INDEPENDENT = [
    ((40, 25, 35), (30, 30, 40)),
    ((54, 108, 162), (80, 100, 144)),
    ((3, 5, 12), (7, 2, 1)),
    ((0, 0, 10), (0, 0, 10)),
    ((0, 0, 10), (10, 0, 0)),
    ((0, 10, 0), (0, 0, 5)),
    ((100, 300, 600), (120, 310, 570)),
    ((1, 0, 0), (0, 0, 1)),
    ((12, 9, 9), (5, 10, 15)),
]

PAIRED = [
    (10, 5, 2, 4, 20, 6, 1, 3, 30),
    (5, 0, 0, 0, 5, 0, 0, 0, 5),
    (0, 0, 8, 0, 0, 0, 0, 0, 0),
    (3, 2, 1, 2, 4, 3, 0, 1, 9),
    (0, 0, 0, 0, 0, 0, 7, 0, 0),
    (1, 0, 0, 0, 0, 0, 0, 0, 0),
    (20, 10, 5, 8, 30, 12, 2, 6, 40),
]


def margins(table):
    before = tuple(sum(table[3 * i + j] for j in range(3)) for i in range(3))
    after = tuple(sum(table[3 * i + j] for i in range(3)) for j in range(3))
    return before, after


def compare_rows():
    for a, b in INDEPENDENT:
        for level in LEVELS:
            for adjusted in (False, True):
                yield ["independent", *a, *b, "", level, str(adjusted).lower(),
                       *independent(a, b, level, adjusted)]
    for table in PAIRED:
        before, after = margins(table)
        for level in LEVELS:
            yield ["paired", *before, *after, " ".join(map(str, table)), level, "false",
                   *paired(table, level)]


NORMAL_X = (-37.5, -30.0, -20.0, -10.0, -8.0, -6.0, -5.0, -4.0, -3.0, -2.5, -2.4999, -2.0, -1.959963984540054,
            -1.5, -1.0, -0.5, -0.1, 0.0, 0.1, 0.5, 1.0, 1.6448536269514722, 1.96, 2.0, 2.5, 3.0, 4.0, 5.0, 8.0)
NORMAL_P = (1e-300, 1e-100, 1e-20, 1e-10, 1e-5, 0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.4, 0.5, 0.6,
            0.75, 0.9, 0.95, 0.975, 0.99, 0.995, 0.999, 1 - 1e-10)


def normal_rows():
    for x in NORMAL_X:
        yield ["cdf", x, normal_cdf(x)]
    for p in NORMAL_P:
        yield ["quantile", p, STD.inv_cdf(p)]


def fmt(x):
    return repr(x) if isinstance(x, float) else str(x)


def write(name, header, rows):
    with open(os.path.join(HERE, name), "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        for row in rows:
            w.writerow([fmt(x) for x in row])


if __name__ == "__main__":
    write("nps_reference.csv",
          ["detractors", "passives", "promoters", "method", "level", "nps", "se", "low", "high"],
          one_sample_rows())
    write("compare_reference.csv",
          ["kind", "a_detractors", "a_passives", "a_promoters", "b_detractors", "b_passives",
           "b_promoters", "paired_table", "level", "adjusted", "difference", "se", "z", "p",
           "low", "high"],
          compare_rows())
    write("normal_reference.csv", ["function", "argument", "value"], normal_rows())
