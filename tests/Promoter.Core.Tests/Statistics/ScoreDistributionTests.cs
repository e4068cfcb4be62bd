using FsCheck.Xunit;
using Promoter.Core.Tests.Support;

namespace Promoter.Core.Tests.Statistics;

[Properties(Arbitrary = [typeof(NpsArbitraries)], MaxTest = 300)]
public class ScoreDistributionTests
{
    [Fact]
    public void Category_boundaries_are_6_7_8_9()
    {
        var distribution = ScoreDistribution.FromCounts([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);

        // detractors 0..6: 1+…+7 = 28; passives 7..8: 8+9 = 17; promoters 9..10: 10+11 = 21.
        Assert.Equal(new NpsCounts(28, 17, 21), distribution.ToCounts());
        Assert.Equal(66, distribution.N);
        Assert.Equal(8, distribution[7]);
        Assert.Equal(11, distribution[Score.From(10)]);
    }

    [Fact]
    public void Empty_has_no_responses()
    {
        Assert.Equal(0, ScoreDistribution.Empty.N);
        Assert.Equal(new NpsCounts(0, 0, 0), ScoreDistribution.Empty.ToCounts());
        Assert.All(Enumerable.Range(0, 11), s => Assert.Equal(0, ScoreDistribution.Empty[s]));
    }

    [Fact]
    public void WithAdded_and_WithRemoved_return_new_distributions()
    {
        var empty = ScoreDistribution.Empty;
        var one = empty.WithAdded(Score.From(9));
        var three = one.WithAdded(Score.From(3), 2);

        Assert.Equal(0, empty.N);
        Assert.Equal(1, one.N);
        Assert.Equal(new NpsCounts(2, 0, 1), three.ToCounts());
        Assert.Equal(one, three.WithRemoved(Score.From(3), 2));
    }

    [Fact]
    public void Removing_more_than_recorded_is_rejected() =>
        Assert.Throws<InvalidOperationException>(() => ScoreDistribution.Empty.WithAdded(Score.From(5)).WithRemoved(Score.From(5), 2));

    [Theory]
    [InlineData(-1)]
    [InlineData(11)]
    public void Indexer_rejects_non_scores(int score) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => ScoreDistribution.Empty[score]);

    [Fact]
    public void FromCounts_needs_exactly_eleven_non_negative_counts()
    {
        Assert.Throws<ArgumentException>(() => ScoreDistribution.FromCounts(new long[10]));
        Assert.Throws<ArgumentException>(() => ScoreDistribution.FromCounts(new long[12]));
        Assert.Throws<ArgumentOutOfRangeException>(() => ScoreDistribution.FromCounts([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -1]));
        Assert.Throws<OverflowException>(() => ScoreDistribution.FromCounts([long.MaxValue, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0]));
    }

    [Fact]
    public void Distributions_have_value_equality()
    {
        var a = ScoreDistribution.FromCounts([0, 0, 0, 0, 0, 0, 0, 1, 0, 2, 0]);
        var b = ScoreDistribution.FromScores([Score.From(9), Score.From(7), Score.From(9)]);

        Assert.Equal(a, b);
        Assert.True(a == b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, b.WithAdded(Score.From(0)));
        Assert.False(a.Equals(null));
    }

    [Fact]
    public void ToArray_is_a_copy()
    {
        var distribution = ScoreDistribution.Empty.WithAdded(Score.From(4));
        var array = distribution.ToArray();
        array[4] = 99;

        Assert.Equal(1, distribution[4]);
    }

    [Property]
    public bool Counts_from_a_distribution_match_counting_categories_directly(Score[] scores)
    {
        var distribution = ScoreDistribution.FromScores(scores);
        var expected = new NpsCounts(
            scores.Count(s => s.Category == NpsCategory.Detractor),
            scores.Count(s => s.Category == NpsCategory.Passive),
            scores.Count(s => s.Category == NpsCategory.Promoter));

        return distribution.ToCounts() == expected
            && NpsCounts.FromDistribution(distribution) == expected
            && distribution.N == scores.Length
            && Enumerable.Range(0, 11).All(v => distribution[v] == scores.Count(s => s.Value == v));
    }

    [Property]
    public bool Pooling_distributions_pools_counts(Score[] first, Score[] second)
    {
        var a = ScoreDistribution.FromScores(first);
        var b = ScoreDistribution.FromScores(second);

        return (a + b).ToCounts() == a.ToCounts() + b.ToCounts()
            && a + b == ScoreDistribution.FromScores(first.Concat(second));
    }

    [Property]
    public bool Adding_then_removing_a_score_restores_the_distribution(Score[] scores, Score extra)
    {
        var distribution = ScoreDistribution.FromScores(scores);
        return distribution.WithAdded(extra).WithRemoved(extra) == distribution;
    }
}
