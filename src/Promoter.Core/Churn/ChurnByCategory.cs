namespace Promoter.Core.Churn;

/// <summary>Churn rate of the contacts in one <see cref="ResponseCategory"/>, with its Wilson interval.</summary>
public sealed record CategoryChurnRate(ResponseCategory Category, Proportion Churn);

/// <summary>What <see cref="ChurnByCategory.Ordering"/> found.</summary>
public enum ChurnOrdering
{
    /// <summary>Detractors &gt; passives &gt; promoters, and each adjacent pair's Wilson intervals do not overlap.</summary>
    Separated,

    /// <summary>The point estimates are in that order, but at least one adjacent pair's intervals overlap.</summary>
    OrderedByPointEstimate,

    /// <summary>The point estimates are not in that order.</summary>
    NotOrdered,

    /// <summary>Detractors, passives or promoters have no contacts, so there is nothing to order.</summary>
    InsufficientData,
}

/// <summary>Churn by NPS category: does NPS predict churn for this workspace?</summary>
public sealed record ChurnByCategory(IReadOnlyList<CategoryChurnRate> Rates, double Level)
{
    /// <summary>The rate of one category (every category is always present, possibly with zero contacts).</summary>
    public CategoryChurnRate this[ResponseCategory category]
    {
        get
        {
            foreach (var rate in Rates)
            {
                if (rate.Category == category)
                {
                    return rate;
                }
            }

            throw new ArgumentOutOfRangeException(nameof(category), category, "Unknown response category.");
        }
    }

    /// <summary>
    /// Checks detractor rate &gt; passive rate &gt; promoter rate (strictly, on the point estimates) and then whether the
    /// evidence separates them: the detractors' lower Wilson limit is above the passives' upper limit, and the passives'
    /// lower limit above the promoters' upper limit. Non-overlapping 95% intervals are a conservative test (roughly a
    /// two-sided p &lt; 0.006 for equal-sized groups), so <see cref="ChurnOrdering.OrderedByPointEstimate"/> is common in
    /// small workspaces and is not evidence against NPS. Non-respondents are reported but take no part in the check.
    /// </summary>
    public ChurnOrdering Ordering
    {
        get
        {
            var d = this[ResponseCategory.Detractor].Churn;
            var m = this[ResponseCategory.Passive].Churn;
            var p = this[ResponseCategory.Promoter].Churn;
            if (d.Trials == 0 || m.Trials == 0 || p.Trials == 0)
            {
                return ChurnOrdering.InsufficientData;
            }

            if (!(d.Rate > m.Rate && m.Rate > p.Rate))
            {
                return ChurnOrdering.NotOrdered;
            }

            return d.Low > m.High && m.Low > p.High ? ChurnOrdering.Separated : ChurnOrdering.OrderedByPointEstimate;
        }
    }

    /// <summary>Counts churned contacts per category and puts a Wilson interval at <paramref name="level"/> on each rate.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Lengths differ, an unknown category, or a bad level.</exception>
    public static ChurnByCategory Compute(ReadOnlySpan<ResponseCategory> categories, ReadOnlySpan<bool> churned, double level = 0.95)
    {
        ConfidenceLevel.CriticalValue(level, nameof(level));
        if (churned.Length != categories.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(churned), churned.Length, $"Expected one outcome per contact ({categories.Length}).");
        }

        Span<long> contacts = stackalloc long[4];
        Span<long> events = stackalloc long[4];
        for (var i = 0; i < categories.Length; i++)
        {
            var c = (int)categories[i];
            if ((uint)c >= 4u)
            {
                throw new ArgumentOutOfRangeException(nameof(categories), categories[i], $"Contact {i} has an unknown category.");
            }

            contacts[c]++;
            events[c] += churned[i] ? 1 : 0;
        }

        var rates = new CategoryChurnRate[4];
        for (var k = 0; k < 4; k++)
        {
            var category = ResponseCategories.All[k];
            rates[k] = new CategoryChurnRate(category, Proportion.Wilson(events[(int)category], contacts[(int)category], level));
        }

        return new ChurnByCategory(rates, level);
    }
}
