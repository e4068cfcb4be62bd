#!/usr/bin/env python3
"""Independent reference values for Promoter.Core.Statistics.Keyness.

Standard library only. Run from anywhere:

    python3 tests/reference/keyness_reference.py

It rewrites keyness_two_reference.csv and keyness_each_reference.csv next to this file. Each row carries the full
input (every term's counts, also those below the minimum count) so the C# test can rebuild the dictionary, plus the
expected rank (0-based, -1 = left out by min_count), delta, sigma and zeta.

Formulas (Monroe, Colaresi & Quinn 2008; tidylo::bind_log_odds), written out term by term rather than in the
closed forms the C# code uses (alpha_0 is summed over the terms, the pseudo-count totals are built per category):
  two groups:  d_w = log((y_i+a_w)/(n_i+a_0-y_i-a_w)) - log((y_j+a_w)/(n_j+a_0-y_j-a_w)),
               s_w^2 = 1/(y_i+a_w) + 1/(y_j+a_w), z_w = d_w/s_w
               informative: a_w = A*(y_i+y_j)/(n_i+n_j); uniform: a_w = alpha
  each vs all: a_w = sum_k y_wk; y_wi = y_wi + a_w; n_i = sum_w y_wi; o_wi = y_wi/(n_i-y_wi);
               y_w = sum_i y_wi; S = sum_i n_i; o_w = y_w/(S-y_w); d = log o_wi - log o_w; s^2 = 1/y_wi + 1/y_w
"""

import csv
import math
import os

HERE = os.path.dirname(os.path.abspath(__file__))

# Detractor (i) and promoter (j) counts. "rude" and "love" have a zero in one group; the "rare" ones fall below
# min_count 5 but still count in the totals and (uniform prior) in alpha_0.
TWO = {
    "slow": (12, 1),
    "rude": (6, 0),
    "price": (5, 5),
    "love": (0, 9),
    "great": (1, 14),
    "app": (3, 4),
    "wait": (7, 2),
    "rare1": (1, 0),
    "rare2": (0, 1),
    "rare3": (2, 1),
}

EACH = {
    "slow": (10, 2, 1),
    "rude": (5, 0, 0),
    "price": (3, 4, 2),
    "love": (0, 2, 8),
    "great": (1, 3, 12),
    "app": (2, 2, 2),
    "okay": (1, 6, 1),
    "rare": (1, 0, 0),
}


def two_groups(counts, prior, strength, alpha):
    n_i = sum(c[0] for c in counts.values())
    n_j = sum(c[1] for c in counts.values())
    if prior == "informative":
        a = {w: strength * (c[0] + c[1]) / (n_i + n_j) for w, c in counts.items()}
    else:
        a = {w: alpha for w in counts}
    a0 = 0.0
    for w in counts:
        a0 += a[w]
    out = {}
    for w, (yi, yj) in counts.items():
        aw = a[w]
        d = math.log((yi + aw) / (n_i + a0 - yi - aw)) - math.log((yj + aw) / (n_j + a0 - yj - aw))
        s = math.sqrt(1 / (yi + aw) + 1 / (yj + aw))
        out[w] = (d, s, d / s)
    return out


def each_vs_all(counts):
    k = len(next(iter(counts.values())))
    pseudo = {w: [c[i] + sum(c) for i in range(k)] for w, c in counts.items()}
    n = [sum(pseudo[w][i] for w in pseudo) for i in range(k)]
    grand = sum(n)
    out = {}
    for w, ys in pseudo.items():
        yw = sum(ys)
        ow = yw / (grand - yw)
        for i in range(k):
            owi = ys[i] / (n[i] - ys[i])
            d = math.log(owi) - math.log(ow)
            s = math.sqrt(1 / ys[i] + 1 / yw)
            out[(w, i)] = (d, s, d / s)
    return out


def main():
    with open(os.path.join(HERE, "keyness_two_reference.csv"), "w", newline="") as f:
        out = csv.writer(f, lineterminator="\n")
        out.writerow(["case", "prior", "strength", "alpha", "min_count", "key", "count_i", "count_j", "rank", "delta", "sigma", "zeta"])
        cases = [
            ("informative-10", "informative", 10.0, 0.01, 5),
            ("informative-1", "informative", 1.0, 0.01, 5),
            ("informative-10-min1", "informative", 10.0, 0.01, 1),
            ("uniform-0.01", "uniform", 10.0, 0.01, 5),
            ("uniform-0.5-min3", "uniform", 10.0, 0.5, 3),
        ]
        for name, prior, strength, alpha, min_count in cases:
            res = two_groups(TWO, prior, strength, alpha)
            kept = sorted((w for w, c in TWO.items() if c[0] + c[1] >= min_count), key=lambda w: (-res[w][2], w))
            for w, (yi, yj) in TWO.items():
                rank = kept.index(w) if w in kept else -1
                d, s, z = res[w]
                out.writerow([name, prior, repr(strength), repr(alpha), min_count, w, yi, yj, rank, repr(d), repr(s), repr(z)])

    with open(os.path.join(HERE, "keyness_each_reference.csv"), "w", newline="") as f:
        out = csv.writer(f, lineterminator="\n")
        out.writerow(["case", "min_count", "key", "c0", "c1", "c2", "category", "rank", "delta", "sigma", "zeta"])
        for min_count in (5, 1):
            res = each_vs_all(EACH)
            for cat in range(3):
                kept = sorted((w for w, c in EACH.items() if sum(c) >= min_count), key=lambda w: (-res[(w, cat)][2], w))
                for w, c in EACH.items():
                    rank = kept.index(w) if w in kept else -1
                    d, s, z = res[(w, cat)]
                    out.writerow([f"each-min{min_count}", min_count, w, c[0], c[1], c[2], cat, rank, repr(d), repr(s), repr(z)])


if __name__ == "__main__":
    main()
