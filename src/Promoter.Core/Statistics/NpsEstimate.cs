namespace Promoter.Core;

/// <summary>
/// NPS with its uncertainty. <see cref="Nps"/>, <see cref="Variance"/> and <see cref="StandardError"/> are always the
/// raw (unadjusted) values, whatever method produced <see cref="Interval"/>.
/// </summary>
/// <param name="Counts">The counts estimated from.</param>
/// <param name="Nps">Raw NPS in points, −100..100.</param>
/// <param name="Variance">Raw plug-in variance of one response on the unit scale, 0..1.</param>
/// <param name="StandardError">Raw standard error in points: 100·sqrt(Variance / N).</param>
/// <param name="Interval">Confidence interval in points, clipped to [−100, 100].</param>
public sealed record NpsEstimate(NpsCounts Counts, double Nps, double Variance, double StandardError, ConfidenceInterval Interval)
{
    public long N => Counts.N;

    /// <summary>Half the width of <see cref="Interval"/>, in points (after clipping).</summary>
    public double MarginOfError => 0.5 * (Interval.High - Interval.Low);

    /// <summary>Fewer than <see cref="NpsStatistics.LowConfidenceThreshold"/> responses: flag the figure in the UI.</summary>
    public bool LowConfidence => N < NpsStatistics.LowConfidenceThreshold;
}
