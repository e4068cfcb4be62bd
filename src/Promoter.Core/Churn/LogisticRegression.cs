namespace Promoter.Core.Churn;

/// <summary>
/// L2-regularised (ridge) logistic regression fitted by Newton's method, which for the logistic model is iteratively
/// reweighted least squares (McCullagh &amp; Nelder 1989, §4.4; Hastie, Tibshirani &amp; Friedman 2009, §4.4.1 and §4.4.4).
/// </summary>
public static class LogisticRegression
{
    // A standard deviation at or below this fraction of the feature's magnitude counts as a constant column.
    private const double ConstantColumnTolerance = 1e-12;
    private const int MaxStepHalvings = 60;

    /// <summary>
    /// Maximises ℓ(β) − (λ/2)·Σ_{j≥1} β*_j² where ℓ(β) = Σᵢ yᵢ·ηᵢ − log(1 + e^ηᵢ), ηᵢ = β*₀ + Σ_j β*_j·zᵢⱼ and
    /// zᵢⱼ = (xᵢⱼ − mean_j) / sd_j (population standard deviation). Standardising first makes one λ mean the same for
    /// every feature whatever its unit, and keeps the Newton system well conditioned.
    /// <para>
    /// Each step solves (Zᵀ W Z + λP)·Δ = Zᵀ(y − μ) − λPβ* by Cholesky, with W = diag μᵢ(1 − μᵢ) and
    /// P = diag(0, 1, …, 1); the step is halved until the penalised objective does not decrease, so the iteration
    /// cannot overshoot. It stops when max |Δ| &lt; <see cref="LogisticOptions.Tolerance"/> or after
    /// <see cref="LogisticOptions.MaxIterations"/> steps. For λ &gt; 0 the objective is strictly concave and bounded
    /// above even on perfectly separable data, so a finite optimum exists and Newton converges to it; with λ = 0 on
    /// separable data the coefficients grow each step and the result reports <c>Converged = false</c>.
    /// </para>
    /// </summary>
    /// <param name="features">One row per observation; all values finite.</param>
    /// <param name="outcomes">One outcome per row; both classes must occur (else the intercept is infinite).</param>
    /// <param name="options">Penalty, tolerance and iteration cap; <see cref="LogisticOptions.Default"/> when null.</param>
    /// <exception cref="ArgumentOutOfRangeException">Lengths differ, a value is not finite, or only one class occurs.</exception>
    public static LogisticModel Fit(FeatureMatrix features, ReadOnlySpan<bool> outcomes, LogisticOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(features);
        options ??= LogisticOptions.Default;
        var n = features.Rows;
        var p = features.Columns;
        if (outcomes.Length != n)
        {
            throw new ArgumentOutOfRangeException(nameof(outcomes), outcomes.Length, $"Expected one outcome per row ({n}).");
        }

        var events = 0;
        var y = new double[n];
        for (var i = 0; i < n; i++)
        {
            if (outcomes[i])
            {
                events++;
                y[i] = 1.0;
            }
        }

        if (events == 0 || events == n)
        {
            throw new ArgumentOutOfRangeException(nameof(outcomes), events, "Logistic regression needs at least one event and one non-event.");
        }

        var x = features.Values;
        var (means, scales, active) = Standardisation(x, n, p);
        var d = p + 1;
        var z = Standardise(x, n, p, means, scales, active);
        var lambda = options.Penalty;

        var beta = new double[d];
        beta[0] = Math.Log(events / (double)(n - events));
        var gradient = new double[d];
        var hessian = new double[d * d];
        var step = new double[d];
        var trial = new double[d];
        var current = Objective(z, y, beta, lambda);
        var iterations = 0;
        var converged = false;

        while (iterations < options.MaxIterations)
        {
            GradientAndHessian(z, y, beta, lambda, active, gradient, hessian);
            if (!Cholesky.Factor(hessian, d))
            {
                break;
            }

            Cholesky.Solve(hessian, d, gradient, step);
            iterations++;

            var t = 1.0;
            var next = double.NegativeInfinity;
            var accepted = false;
            for (var halving = 0; halving <= MaxStepHalvings && !accepted; halving++)
            {
                for (var k = 0; k < d; k++)
                {
                    trial[k] = beta[k] + (t * step[k]);
                }

                next = Objective(z, y, trial, lambda);
                accepted = next >= current - (1e-12 * (1.0 + Math.Abs(current)));
                t *= 0.5;
            }

            if (!accepted)
            {
                // No step along the Newton direction improves the objective: we are at its rounding floor. That is the
                // optimum only if the full step was already negligible.
                converged = MaxAbs(step) < options.Tolerance;
                break;
            }

            var largest = 0.0;
            for (var k = 0; k < d; k++)
            {
                largest = Math.Max(largest, Math.Abs(trial[k] - beta[k]));
            }

            (beta, trial) = (trial, beta);
            current = next;
            if (largest < options.Tolerance)
            {
                converged = true;
                break;
            }
        }

        var covariance = Covariance(z, y, beta, lambda, active, gradient, hessian, converged);
        return ToModel(features, beta, covariance, means, scales, active) with
        {
            Penalty = lambda,
            Iterations = iterations,
            Converged = converged,
            LogLikelihood = Objective(z, y, beta, 0.0),
            PenalisedLogLikelihood = current,
            Observations = n,
            Events = events,
        };
    }

    /// <summary>1 / (1 + e^−η), evaluated so neither branch overflows.</summary>
    internal static double Sigmoid(double eta)
    {
        if (eta >= 0)
        {
            return 1.0 / (1.0 + Math.Exp(-eta));
        }

        var e = Math.Exp(eta);
        return e / (1.0 + e);
    }

    // log(1 + e^η) without overflow for large η or loss of precision for very negative η.
    private static double Softplus(double eta) => eta > 0 ? eta + Math.Log(1.0 + Math.Exp(-eta)) : Math.Log(1.0 + Math.Exp(eta));

    private static (double[] Means, double[] Scales, bool[] Active) Standardisation(ReadOnlySpan<double> features, int n, int p)
    {
        var means = new double[p];
        var scales = new double[p];
        var active = new bool[p];
        for (var i = 0; i < n; i++)
        {
            var row = features.Slice(i * p, p);
            for (var j = 0; j < p; j++)
            {
                if (!double.IsFinite(row[j]))
                {
                    throw new ArgumentOutOfRangeException(nameof(features), row[j], $"Feature {j} of row {i} is not a finite number.");
                }

                means[j] += row[j];
            }
        }

        for (var j = 0; j < p; j++)
        {
            means[j] /= n;
        }

        // Two passes: the centred sum of squares does not cancel the way Σx² − n·mean² does.
        for (var i = 0; i < n; i++)
        {
            var row = features.Slice(i * p, p);
            for (var j = 0; j < p; j++)
            {
                var centred = row[j] - means[j];
                scales[j] += centred * centred;
            }
        }

        for (var j = 0; j < p; j++)
        {
            scales[j] = Math.Sqrt(scales[j] / n);
            active[j] = scales[j] > ConstantColumnTolerance * Math.Max(1.0, Math.Abs(means[j]));
            if (!active[j])
            {
                scales[j] = 0.0;
            }
        }

        return (means, scales, active);
    }

    // Row-major n × (p + 1) design with a leading column of ones; inactive (constant) columns are all zero.
    private static double[] Standardise(ReadOnlySpan<double> x, int n, int p, double[] means, double[] scales, bool[] active)
    {
        var d = p + 1;
        var z = new double[(long)n * d];
        for (var i = 0; i < n; i++)
        {
            var offset = i * d;
            z[offset] = 1.0;
            for (var j = 0; j < p; j++)
            {
                z[offset + j + 1] = active[j] ? (x[(i * p) + j] - means[j]) / scales[j] : 0.0;
            }
        }

        return z;
    }

    private static double Objective(double[] z, double[] y, double[] beta, double lambda)
    {
        var d = beta.Length;
        var n = y.Length;
        var sum = 0.0;
        for (var i = 0; i < n; i++)
        {
            var eta = Dot(z.AsSpan(i * d, d), beta);
            sum += (y[i] * eta) - Softplus(eta);
        }

        var penalty = 0.0;
        for (var k = 1; k < d; k++)
        {
            penalty += beta[k] * beta[k];
        }

        return sum - (0.5 * lambda * penalty);
    }

    // g = Zᵀ(y − μ) − λPβ and H = Zᵀ W Z + λP (full symmetric, row-major d × d). A constant column gets a unit
    // diagonal and zero gradient, so its coefficient stays exactly 0 and the system stays positive definite.
    private static void GradientAndHessian(double[] z, double[] y, double[] beta, double lambda, bool[] active, double[] g, double[] h)
    {
        var d = beta.Length;
        var n = y.Length;
        Array.Clear(g);
        Array.Clear(h);
        for (var i = 0; i < n; i++)
        {
            var row = z.AsSpan(i * d, d);
            var mu = Sigmoid(Dot(row, beta));
            var w = mu * (1.0 - mu);
            var r = y[i] - mu;
            for (var k = 0; k < d; k++)
            {
                var zk = row[k];
                g[k] += zk * r;
                var wzk = w * zk;
                var hk = h.AsSpan(k * d, d);
                for (var l = k; l < d; l++)
                {
                    hk[l] += wzk * row[l];
                }
            }
        }

        for (var k = 0; k < d; k++)
        {
            for (var l = 0; l < k; l++)
            {
                h[(k * d) + l] = h[(l * d) + k];
            }
        }

        for (var j = 1; j < d; j++)
        {
            if (!active[j - 1])
            {
                for (var k = 0; k < d; k++)
                {
                    h[(j * d) + k] = 0.0;
                    h[(k * d) + j] = 0.0;
                }

                h[(j * d) + j] = 1.0;
                g[j] = 0.0;
                continue;
            }

            h[(j * d) + j] += lambda;
            g[j] -= lambda * beta[j];
        }
    }

    // H⁻¹ at the optimum, or null when the fit did not converge or H is not positive definite.
    private static double[]? Covariance(double[] z, double[] y, double[] beta, double lambda, bool[] active, double[] g, double[] h, bool converged)
    {
        if (!converged)
        {
            return null;
        }

        var d = beta.Length;
        GradientAndHessian(z, y, beta, lambda, active, g, h);
        if (!Cholesky.Factor(h, d))
        {
            return null;
        }

        var inverse = new double[d * d];
        var unit = new double[d];
        var column = new double[d];
        for (var k = 0; k < d; k++)
        {
            Array.Clear(unit);
            unit[k] = 1.0;
            Cholesky.Solve(h, d, unit, column);
            for (var l = 0; l < d; l++)
            {
                inverse[(l * d) + k] = column[l];
            }
        }

        return inverse;
    }

    private static LogisticModel ToModel(FeatureMatrix features, double[] beta, double[]? cov, double[] means, double[] scales, bool[] active)
    {
        var p = features.Columns;
        var d = p + 1;
        var coefficients = new double[p];
        var standardised = new double[p];
        var errors = new double[p];
        var standardisedErrors = new double[p];
        var intercept = beta[0];
        for (var j = 0; j < p; j++)
        {
            standardised[j] = beta[j + 1];
            if (active[j])
            {
                coefficients[j] = beta[j + 1] / scales[j];
                intercept -= coefficients[j] * means[j];
            }

            var variance = active[j] && cov is not null ? cov[((j + 1) * d) + j + 1] : double.NaN;
            standardisedErrors[j] = Math.Sqrt(variance);
            errors[j] = Math.Sqrt(variance) / scales[j];
        }

        // The original intercept is aᵀβ* with a = (1, −mean_1/sd_1, …); its variance is aᵀ·Cov·a.
        var interceptError = double.NaN;
        if (cov is not null)
        {
            var a = new double[d];
            a[0] = 1.0;
            for (var j = 0; j < p; j++)
            {
                a[j + 1] = active[j] ? -means[j] / scales[j] : 0.0;
            }

            var quadratic = 0.0;
            for (var k = 0; k < d; k++)
            {
                for (var l = 0; l < d; l++)
                {
                    quadratic += a[k] * cov[(k * d) + l] * a[l];
                }
            }

            interceptError = Math.Sqrt(quadratic);
        }

        return new LogisticModel(
            [.. features.Names],
            intercept,
            coefficients,
            interceptError,
            errors,
            beta[0],
            standardised,
            cov is null ? double.NaN : Math.Sqrt(cov[0]),
            standardisedErrors,
            means,
            scales);
    }

    private static double MaxAbs(double[] values)
    {
        var largest = 0.0;
        foreach (var v in values)
        {
            largest = Math.Max(largest, Math.Abs(v));
        }

        return largest;
    }

    private static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        var sum = 0.0;
        for (var k = 0; k < a.Length; k++)
        {
            sum += a[k] * b[k];
        }

        return sum;
    }
}
