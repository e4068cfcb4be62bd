namespace Promoter.Metrics;

/// <summary>
/// What to count: surveys, an inclusive range of workspace-local days, and dimension filters
/// (<c>channel</c>, <c>language</c>, <c>touchpoint</c>, <c>team</c>, or <c>p:&lt;segment&gt;</c>) → value.
/// </summary>
public sealed record MetricsFilter(IReadOnlyList<Guid> SurveyIds, int? FromDay, int? ToDay, IReadOnlyDictionary<string, string> Dimensions)
{
    public static MetricsFilter ForSurvey(Guid surveyId, int? fromDay = null, int? toDay = null) =>
        new([surveyId], fromDay, toDay, new Dictionary<string, string>());

    public MetricsFilter WithDays(int? fromDay, int? toDay) => this with { FromDay = fromDay, ToDay = toDay };
}

/// <summary>Score counts 0..10 for some slice of responses.</summary>
public sealed class Histogram
{
    public long[] Counts { get; } = new long[11];

    public long N => Counts.Sum();

    public static Histogram From(IReadOnlyList<long> counts)
    {
        var h = new Histogram();
        for (var i = 0; i < 11; i++)
        {
            h.Counts[i] = counts[i];
        }

        return h;
    }

    public void Add(Histogram other)
    {
        for (var i = 0; i < 11; i++)
        {
            Counts[i] += other.Counts[i];
        }
    }

    public Histogram Minus(Histogram other)
    {
        var result = new Histogram();
        for (var i = 0; i < 11; i++)
        {
            result.Counts[i] = Counts[i] - other.Counts[i];
        }

        return result;
    }

    public Core.ScoreDistribution ToDistribution() => Core.ScoreDistribution.FromCounts(Counts);
}
