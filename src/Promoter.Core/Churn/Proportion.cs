namespace Promoter.Core.Churn;

/// <summary>An observed rate x / n with its Wilson score interval at <see cref="Level"/>.</summary>
/// <param name="Successes">x, the contacts with the event (e.g. churned).</param>
/// <param name="Trials">n, all contacts counted.</param>
/// <param name="Level">Confidence level of the interval, e.g. 0.95.</param>
/// <param name="Rate">x / n; NaN when n = 0.</param>
/// <param name="Low">Lower Wilson limit; 0 when n = 0.</param>
/// <param name="High">Upper Wilson limit; 1 when n = 0.</param>
public readonly record struct Proportion(long Successes, long Trials, double Level, double Rate, double Low, double High)
{
    /// <summary>Whether <paramref name="value"/> lies in [Low, High].</summary>
    public bool Contains(double value) => value >= Low && value <= High;

    /// <summary>
    /// The Wilson (1927) score interval: (p̂ + z²/2n ± z·sqrt(p̂(1 − p̂)/n + z²/4n²)) / (1 + z²/n), z = Φ⁻¹(1 − α/2).
    /// Unlike the Wald interval it never leaves [0, 1] and keeps near-nominal coverage for small n and rates near
    /// 0 or 1 (Brown, Cai &amp; DasGupta 2001, Statistical Science 16:101–133, who recommend it for n &lt; 40).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Negative counts, x &gt; n, or a level outside [0.5, 1).</exception>
    public static Proportion Wilson(long successes, long trials, double level = 0.95)
    {
        var z = ConfidenceLevel.CriticalValue(level, nameof(level));
        ArgumentOutOfRangeException.ThrowIfNegative(successes);
        ArgumentOutOfRangeException.ThrowIfNegative(trials);
        if (successes > trials)
        {
            throw new ArgumentOutOfRangeException(nameof(successes), successes, "Successes cannot exceed trials.");
        }

        if (trials == 0)
        {
            return new Proportion(0, 0, level, double.NaN, 0.0, 1.0);
        }

        var n = (double)trials;
        var p = successes / n;
        var z2 = z * z;
        var denominator = 1.0 + (z2 / n);
        var centre = (p + (z2 / (2.0 * n))) / denominator;
        var half = z / denominator * Math.Sqrt((p * (1.0 - p) / n) + (z2 / (4.0 * n * n)));

        // At x = 0 and x = n the limits are exactly 0 and 1; pin them against rounding.
        var low = successes == 0 ? 0.0 : Math.Max(0.0, centre - half);
        var high = successes == trials ? 1.0 : Math.Min(1.0, centre + half);
        return new Proportion(successes, trials, level, p, low, high);
    }
}
