namespace Promoter.Core;

/// <summary>
/// Sample size for a wanted margin of error, and the margin of error of a sample size (statistics.md §2.4).
/// Margins are in points; variances on the unit scale.
/// </summary>
public static class SampleSize
{
    /// <summary>
    /// Planning value of the per-response variance when nothing is known yet (MeasuringU uses ≈ 0.6; observed NPS
    /// variances are typically 0.45–0.65, the maximum is 1). With it, z·sqrt(0.6/n) at 95% reproduces the published
    /// table 30 → ±27.7, 100 → ±15.2, 1000 → ±4.8 points.
    /// </summary>
    public const double DefaultVariance = 0.6;

    // Guards the ceiling against rounding: z²V/E² for an E computed from n can land a hair above n.
    private const double RelativeSlack = 1e-9;

    /// <summary>
    /// Responses needed for a confidence interval half-width of <paramref name="marginPoints"/>:
    /// n = z²·V/E², or with <paramref name="adjusted"/> (the adjusted-Wald interval, whose n includes 3 pseudo-responses)
    /// n = z²·V/E² − 3; rounded up, at least 1.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of range.</exception>
    /// <exception cref="OverflowException">The answer does not fit in a <see cref="long"/>.</exception>
    public static long ForMarginOfError(double marginPoints, double variance = DefaultVariance, double level = 0.95, bool adjusted = true)
    {
        if (!(marginPoints > 0.0 && double.IsFinite(marginPoints)))
        {
            throw new ArgumentOutOfRangeException(nameof(marginPoints), marginPoints, "The margin of error must be a positive number of points.");
        }

        CheckVariance(variance);
        var z = ConfidenceLevel.CriticalValue(level, nameof(level));
        var margin = marginPoints / 100.0;
        var n = (z * z * variance / (margin * margin)) - (adjusted ? PseudoCounts.Total : 0.0);
        var rounded = Math.Ceiling(n - (RelativeSlack * Math.Max(1.0, Math.Abs(n))));
        if (rounded >= long.MaxValue)
        {
            throw new OverflowException($"A margin of ±{marginPoints} points needs more than {long.MaxValue} responses.");
        }

        return Math.Max(1L, (long)rounded);
    }

    /// <summary>
    /// Expected half-width in points of a confidence interval from <paramref name="n"/> responses:
    /// 100·z·sqrt(V/n), or with <paramref name="adjusted"/> 100·z·sqrt(V/(n + 3)) (the inverse of
    /// <see cref="ForMarginOfError"/> with <c>adjusted: true</c>).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of range.</exception>
    public static double MarginOfErrorFor(long n, double variance = DefaultVariance, double level = 0.95, bool adjusted = false)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(n);
        CheckVariance(variance);
        var z = ConfidenceLevel.CriticalValue(level, nameof(level));
        var effectiveN = n + (adjusted ? PseudoCounts.Total : 0.0);
        return 100.0 * z * Math.Sqrt(variance / effectiveN);
    }

    private static void CheckVariance(double variance)
    {
        if (!(variance >= 0.0 && variance <= 1.0))
        {
            throw new ArgumentOutOfRangeException(nameof(variance), variance, "The per-response NPS variance is between 0 and 1.");
        }
    }
}
