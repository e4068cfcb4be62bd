namespace Promoter.Core;

/// <summary>One-sample NPS estimation with confidence intervals.</summary>
public static class NpsStatistics
{
    /// <summary>Below this many responses an NPS is flagged as low confidence, whatever the method.</summary>
    public const long LowConfidenceThreshold = 30;

    /// <summary>
    /// NPS, standard error and a confidence interval. Every interval is clipped to [−100, 100]:
    /// <list type="bullet">
    /// <item><see cref="ConfidenceMethod.Wald"/>: NPS ± z·SE; zero width when all responses share a category.</item>
    /// <item><see cref="ConfidenceMethod.AdjustedWald"/>: Wald on the counts plus 0.75 / 1.5 / 0.75 pseudo-responses,
    /// centred on the shrunk NPS~ = (p − d) / (n + 3), not on the raw NPS.</item>
    /// <item><see cref="ConfidenceMethod.Tango"/>: score interval; upper limit 100 when all are promoters, lower −100
    /// when all are detractors.</item>
    /// </list>
    /// </summary>
    /// <param name="counts">At least one response.</param>
    /// <param name="method">Interval method; adjusted Wald by default (Rocks 2016).</param>
    /// <param name="level">Confidence level as a fraction in [0.5, 1), e.g. 0.95.</param>
    /// <exception cref="InvalidOperationException">There are no responses (N = 0).</exception>
    /// <exception cref="ArgumentOutOfRangeException">The level or method is invalid.</exception>
    public static NpsEstimate Estimate(NpsCounts counts, ConfidenceMethod method = ConfidenceMethod.AdjustedWald, double level = 0.95)
    {
        var z = ConfidenceLevel.CriticalValue(level, nameof(level));
        if (counts.N == 0)
        {
            throw new InvalidOperationException("NPS cannot be estimated from zero responses.");
        }

        var raw = Trinomial.Raw(counts);
        var (low, high) = method switch
        {
            ConfidenceMethod.Wald => Wald(raw, z),
            ConfidenceMethod.AdjustedWald => Wald(Trinomial.Adjusted(counts), z),
            ConfidenceMethod.Tango => TangoInterval.Compute(counts, z),
            _ => throw new ArgumentOutOfRangeException(nameof(method), method, "Unknown confidence method."),
        };

        return new NpsEstimate(
            counts,
            counts.Nps,
            raw.Variance,
            100.0 * raw.StandardError,
            new ConfidenceInterval(method, level, 100.0 * low, 100.0 * high));
    }

    private static (double Low, double High) Wald(Trinomial t, double z)
    {
        var half = z * t.StandardError;
        return (Math.Max(-1.0, t.Nps - half), Math.Min(1.0, t.Nps + half));
    }
}
