namespace Promoter.Core;

/// <summary>
/// Shewhart-style control limits for one period's NPS, in points: centre ± sigmas·100·sqrt(V̄/n_t), clipped to
/// [−100, 100], where the centre and V̄ come from the pooled baseline. Use for "is this period abnormal?" alerts
/// instead of week-over-week deltas. A baseline where everyone is in one category has V̄ = 0, so the limits
/// collapse onto the centre and any different period is out of control.
/// </summary>
public sealed record ControlLimits(double Centre, double Lower, double Upper)
{
    /// <summary>Limits for a period with <paramref name="periodN"/> responses.</summary>
    /// <exception cref="InvalidOperationException">The baseline has no responses.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="periodN"/> ≤ 0, or <paramref name="sigmas"/> not positive and finite.</exception>
    public static ControlLimits ForPeriod(NpsCounts baseline, long periodN, double sigmas = 3)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(periodN);
        if (!(sigmas > 0.0 && double.IsFinite(sigmas)))
        {
            throw new ArgumentOutOfRangeException(nameof(sigmas), sigmas, "Sigmas must be a positive, finite number.");
        }

        if (baseline.N == 0)
        {
            throw new InvalidOperationException("Control limits need a baseline with at least one response.");
        }

        var centre = baseline.Nps;
        var half = sigmas * 100.0 * Math.Sqrt(baseline.Variance / periodN);
        return new ControlLimits(centre, Math.Max(-100.0, centre - half), Math.Min(100.0, centre + half));
    }

    /// <summary>Whether a period's NPS (points) falls outside [Lower, Upper]. NaN (an empty period) is not.</summary>
    public bool IsOutOfControl(double periodNps) => periodNps < Lower || periodNps > Upper;
}
