using System.Runtime.CompilerServices;

namespace Promoter.Core;

/// <summary>
/// Detractor, passive and promoter counts: everything NPS depends on. Counts are non-negative and their total
/// fits in a <see cref="long"/>. With no responses (N = 0) the NPS, shares and variance are <see cref="double.NaN"/>;
/// the estimation methods in <see cref="NpsStatistics"/> throw instead. Construction throws
/// <see cref="ArgumentOutOfRangeException"/> for a negative count and <see cref="OverflowException"/> when the total
/// does not fit in a <see cref="long"/>.
/// </summary>
public readonly record struct NpsCounts(long Detractors, long Passives, long Promoters)
{
    private readonly long _n = checked(NonNegative(Detractors) + NonNegative(Passives) + NonNegative(Promoters));

    public long Detractors { get; } = Detractors;

    public long Passives { get; } = Passives;

    public long Promoters { get; } = Promoters;

    /// <summary>Number of responses (skipped questions are not responses).</summary>
    public long N => _n;

    /// <summary>%promoters − %detractors, from −100 to 100; NaN when N = 0.</summary>
    public double Nps => N == 0 ? double.NaN : 100.0 * (Promoters - Detractors) / N;

    /// <summary>Fraction of promoters, 0..1; NaN when N = 0.</summary>
    public double PromoterShare => Share(Promoters);

    /// <summary>Fraction of passives, 0..1; NaN when N = 0.</summary>
    public double PassiveShare => Share(Passives);

    /// <summary>Fraction of detractors, 0..1; NaN when N = 0.</summary>
    public double DetractorShare => Share(Detractors);

    /// <summary>
    /// Variance of one response's contribution s ∈ {−1, 0, +1} on the unit scale, plug-in (/n) form:
    /// p_pro + p_det − (p_pro − p_det)². In [0, 1]; 0 when every response is in one category; NaN when N = 0.
    /// </summary>
    public double Variance
    {
        get
        {
            if (N == 0)
            {
                return double.NaN;
            }

            // n(p + d) − (p − d)² in exact integer arithmetic, so the result is never a tiny negative number.
            var numerator = ((Int128)(Promoters + Detractors) * N) - ((Int128)(Promoters - Detractors) * (Promoters - Detractors));
            return (double)numerator / ((double)N * N);
        }
    }

    /// <summary>Counts of a 0–10 distribution, by category.</summary>
    public static NpsCounts FromDistribution(ScoreDistribution distribution)
    {
        ArgumentNullException.ThrowIfNull(distribution);
        return distribution.ToCounts();
    }

    /// <summary>The counts of a category.</summary>
    public long Of(NpsCategory category) => category switch
    {
        NpsCategory.Detractor => Detractors,
        NpsCategory.Passive => Passives,
        NpsCategory.Promoter => Promoters,
        _ => throw new ArgumentOutOfRangeException(nameof(category), category, "Unknown NPS category."),
    };

    /// <summary>Pools two sets of counts (e.g. two periods or segments).</summary>
    /// <exception cref="OverflowException">A total does not fit in a <see cref="long"/>.</exception>
    public static NpsCounts operator +(NpsCounts left, NpsCounts right) => new(
        checked(left.Detractors + right.Detractors),
        checked(left.Passives + right.Passives),
        checked(left.Promoters + right.Promoters));

    /// <inheritdoc cref="op_Addition"/>
    public static NpsCounts Add(NpsCounts left, NpsCounts right) => left + right;

    private static long NonNegative(long count, [CallerArgumentExpression(nameof(count))] string? name = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count, name);
        return count;
    }

    private double Share(long count) => N == 0 ? double.NaN : (double)count / N;
}
