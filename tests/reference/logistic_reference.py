#!/usr/bin/env python3
"""Independent reference values for Promoter.Core's churn statistics (src/Promoter.Core/Churn).

Standard library only. Run from anywhere:

    python3 tests/reference/logistic_reference.py

It rewrites, next to this file:
  churn_data.csv        the generated data sets (dataset,y,x1,x2,x3,s)
  logistic_reference.csv  ridge logistic regression per (dataset, penalty, term)
  auc_reference.csv     AUC with DeLong standard error and 95% interval, and the paired DeLong difference
  wilson_reference.csv  Wilson score intervals

Definitions shared with the C# code (and nothing else): the objective is
    l(b) - (lambda/2) * sum_{j>=1} b_j^2
on features standardised by their mean and population standard deviation, the intercept unpenalised;
standard errors are sqrt(diag(H^-1)) with H the penalised Hessian. The numerics deliberately differ from the
C# code: Newton steps solved by Gauss-Jordan elimination with partial pivoting (C#: Cholesky), the likelihood
in plain math.log1p/math.exp form, and DeLong's structural components by the O(m*n) double sum of the
kernel psi(x, y) = 1 if x > y, 1/2 if x == y, 0 otherwise (C#: midranks).
"""

import csv
import math
import os
import random
from statistics import NormalDist

HERE = os.path.dirname(os.path.abspath(__file__))
Z95 = NormalDist().inv_cdf(0.975)


def sigmoid(t):
    if t >= 0:
        return 1.0 / (1.0 + math.exp(-t))
    e = math.exp(t)
    return e / (1.0 + e)


def log1pexp(t):
    return t + math.log1p(math.exp(-t)) if t > 0 else math.log1p(math.exp(t))


def solve(a, b):
    """Gauss-Jordan elimination with partial pivoting; returns x with a x = b (a, b copied)."""
    n = len(b)
    m = [row[:] + [b[i]] for i, row in enumerate(a)]
    for c in range(n):
        piv = max(range(c, n), key=lambda r: abs(m[r][c]))
        m[c], m[piv] = m[piv], m[c]
        pv = m[c][c]
        m[c] = [v / pv for v in m[c]]
        for r in range(n):
            if r != c and m[r][c] != 0.0:
                f = m[r][c]
                m[r] = [vr - f * vc for vr, vc in zip(m[r], m[c])]
    return [m[i][n] for i in range(n)]


def inverse(a):
    n = len(a)
    cols = [solve(a, [1.0 if i == k else 0.0 for i in range(n)]) for k in range(n)]
    return [[cols[k][i] for k in range(n)] for i in range(n)]


def standardise(xs):
    n, p = len(xs), len(xs[0])
    means = [sum(r[j] for r in xs) / n for j in range(p)]
    sds = [math.sqrt(sum((r[j] - means[j]) ** 2 for r in xs) / n) for j in range(p)]
    z = [[1.0] + [(r[j] - means[j]) / sds[j] for j in range(p)] for r in xs]
    return z, means, sds


def loglik(z, y, b):
    total = 0.0
    for zi, yi in zip(z, y):
        eta = sum(a * c for a, c in zip(zi, b))
        total += yi * eta - log1pexp(eta)
    return total


def fit(xs, y, lam):
    z, means, sds = standardise(xs)
    d = len(z[0])
    ev = sum(y)
    b = [math.log(ev / (len(y) - ev))] + [0.0] * (d - 1)
    for _ in range(500):
        g = [0.0] * d
        h = [[0.0] * d for _ in range(d)]
        for zi, yi in zip(z, y):
            mu = sigmoid(sum(a * c for a, c in zip(zi, b)))
            w = mu * (1 - mu)
            for k in range(d):
                g[k] += zi[k] * (yi - mu)
                for l in range(d):
                    h[k][l] += w * zi[k] * zi[l]
        for j in range(1, d):
            g[j] -= lam * b[j]
            h[j][j] += lam
        step = solve(h, g)
        b = [bi + si for bi, si in zip(b, step)]
        if max(abs(s) for s in step) < 1e-13:
            break
    else:
        raise RuntimeError("did not converge")
    # Hessian at the optimum for the standard errors.
    h = [[0.0] * d for _ in range(d)]
    for zi in z:
        mu = sigmoid(sum(a * c for a, c in zip(zi, b)))
        w = mu * (1 - mu)
        for k in range(d):
            for l in range(d):
                h[k][l] += w * zi[k] * zi[l]
    for j in range(1, d):
        h[j][j] += lam
    cov = inverse(h)
    # Original scale: b_j = b*_j / sd_j, b_0 = b*_0 - sum b*_j mean_j / sd_j; same linear map on the covariance.
    a0 = [1.0] + [-means[j] / sds[j] for j in range(d - 1)]
    coef = [sum(a * c for a, c in zip(a0, b))] + [b[j + 1] / sds[j] for j in range(d - 1)]
    se0 = math.sqrt(sum(a0[k] * cov[k][l] * a0[l] for k in range(d) for l in range(d)))
    se = [se0] + [math.sqrt(cov[j + 1][j + 1]) / sds[j] for j in range(d - 1)]
    std_se = [math.sqrt(cov[k][k]) for k in range(d)]
    pen = loglik(z, y, b) - 0.5 * lam * sum(bj * bj for bj in b[1:])
    return coef, se, b, std_se, loglik(z, y, b), pen


def psi(x, y):
    return 1.0 if x > y else (0.5 if x == y else 0.0)


def delong(scores_list, y):
    """AUCs and their DeLong covariance matrix for several scores on the same subjects (DeLong et al. 1988)."""
    pos = [i for i, v in enumerate(y) if v]
    neg = [i for i, v in enumerate(y) if not v]
    m, n = len(pos), len(neg)
    v10 = [[sum(psi(s[i], s[j]) for j in neg) / n for i in pos] for s in scores_list]
    v01 = [[sum(psi(s[i], s[j]) for i in pos) / m for j in neg] for s in scores_list]
    aucs = [sum(v) / m for v in v10]
    k = len(scores_list)

    def cov(vs, a, b, size):
        return sum((vs[a][t] - aucs[a]) * (vs[b][t] - aucs[b]) for t in range(size)) / (size - 1)

    s = [[cov(v10, a, b, m) / m + cov(v01, a, b, n) / n for b in range(k)] for a in range(k)]
    return aucs, s


def wilson(x, n, z):
    p = x / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z / denom * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return max(0.0, centre - half), min(1.0, centre + half)


def datasets():
    rnd = random.Random(20261207)
    out = {}

    rows = []
    for _ in range(300):
        x1 = rnd.gauss(1.0, 2.0)
        x2 = rnd.uniform(0.0, 10.0)
        x3 = 1.0 if rnd.random() < 0.3 else 0.0
        y = 1 if rnd.random() < sigmoid(-1.0 + 0.8 * x1 - 0.2 * x2 + 1.0 * x3) else 0
        rows.append((y, x1, x2, x3))
    out["mixed"] = rows

    rows = []
    for _ in range(60):
        x1 = rnd.gauss(0.0, 1.0)
        rows.append((1 if x1 > 0.2 else 0, x1, rnd.gauss(5.0, 3.0), float(rnd.randint(0, 4))))
    out["separable"] = rows

    rows = []
    for _ in range(500):
        x1 = rnd.gauss(0.0, 1.0)
        x2 = rnd.gauss(0.0, 1.0)
        x3 = float(rnd.randint(0, 10))
        y = 1 if rnd.random() < sigmoid(-3.5 + 0.7 * x1 + 0.1 * x3) else 0
        rows.append((y, x1, x2, x3))
    out["rare"] = rows
    return out


def main():
    data = datasets()
    with open(os.path.join(HERE, "churn_data.csv"), "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["dataset", "y", "x1", "x2", "x3", "s"])
        for name, rows in data.items():
            for y, x1, x2, x3 in rows:
                # s: a coarse score with many ties, for the AUC checks.
                w.writerow([name, y, repr(x1), repr(x2), repr(x3), repr(float(round(x1 + x3)))])

    penalties = {"mixed": [0.0, 1.0, 25.0], "separable": [1.0, 0.1], "rare": [1.0]}
    names = ["intercept", "x1", "x2", "x3"]
    with open(os.path.join(HERE, "logistic_reference.csv"), "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["dataset", "penalty", "term", "coef", "se", "std_coef", "std_se", "loglik", "penalised_loglik"])
        for name, lams in penalties.items():
            xs = [list(r[1:]) for r in data[name]]
            y = [r[0] for r in data[name]]
            for lam in lams:
                coef, se, sc, sse, ll, pen = fit(xs, y, lam)
                for t in range(4):
                    w.writerow([name, repr(lam), names[t], repr(coef[t]), repr(se[t]), repr(sc[t]), repr(sse[t]), repr(ll), repr(pen)])

    with open(os.path.join(HERE, "auc_reference.csv"), "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["dataset", "auc_x1", "se_x1", "low_x1", "high_x1", "auc_s", "se_s", "diff", "diff_se"])
        for name, rows in data.items():
            y = [r[0] == 1 for r in rows]
            x1 = [r[1] for r in rows]
            s = [float(round(r[1] + r[3])) for r in rows]
            aucs, cov = delong([x1, s], y)
            se1 = math.sqrt(cov[0][0])
            diff_se = math.sqrt(cov[0][0] + cov[1][1] - 2 * cov[0][1])
            w.writerow([name, repr(aucs[0]), repr(se1), repr(max(0.0, aucs[0] - Z95 * se1)), repr(min(1.0, aucs[0] + Z95 * se1)),
                        repr(aucs[1]), repr(math.sqrt(cov[1][1])), repr(aucs[0] - aucs[1]), repr(diff_se)])

    with open(os.path.join(HERE, "wilson_reference.csv"), "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["successes", "trials", "level", "low", "high"])
        for x, n in [(0, 10), (1, 10), (5, 10), (10, 10), (3, 250), (81, 1000), (1, 1), (49, 50)]:
            for level in (0.9, 0.95, 0.99):
                z = NormalDist().inv_cdf(1 - (1 - level) / 2)
                lo, hi = wilson(x, n, z)
                w.writerow([x, n, repr(level), repr(lo), repr(hi)])


if __name__ == "__main__":
    main()
