using FsCheck.Xunit;
using Promoter.Core.Tests.Support;

namespace Promoter.Core.Tests.Statistics;

[Properties(Arbitrary = [typeof(NpsArbitraries)], MaxTest = 500)]
public class NpsCountsTests
{
    [Fact]
    public void Whuber_anchor_has_NPS_one_third_and_variance_five_ninths()
    {
        // n = 324, p_pro = 162/324 = ½, p_det = 54/324 = ⅙ ⇒ NPS = ⅓; Var = ½ + ⅙ − (⅓)² = ⅔ − ⅑ = 5/9.
        var counts = new NpsCounts(54, 108, 162);

        Assert.Equal(324, counts.N);
        Assert.Equal(100.0 / 3, counts.Nps, 1e-12);
        Assert.Equal(5.0 / 9, counts.Variance, 1e-15);
        Assert.Equal(0.5, counts.PromoterShare);
        Assert.Equal(1.0 / 3, counts.PassiveShare, 1e-15);
        Assert.Equal(1.0 / 6, counts.DetractorShare, 1e-15);
    }

    [Theory]
    [InlineData(-1, 0, 0)]
    [InlineData(0, -1, 0)]
    [InlineData(0, 0, -1)]
    [InlineData(long.MinValue, 5, 5)]
    public void Negative_counts_are_rejected(long detractors, long passives, long promoters) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new NpsCounts(detractors, passives, promoters));

    [Fact]
    public void A_total_beyond_long_is_rejected() =>
        Assert.Throws<OverflowException>(() => new NpsCounts(long.MaxValue, 1, 0));

    [Fact]
    public void No_responses_give_NaN_rather_than_a_number()
    {
        var empty = new NpsCounts(0, 0, 0);

        Assert.Equal(0, empty.N);
        Assert.True(double.IsNaN(empty.Nps));
        Assert.True(double.IsNaN(empty.Variance));
        Assert.True(double.IsNaN(empty.PromoterShare));
        Assert.True(double.IsNaN(empty.PassiveShare));
        Assert.True(double.IsNaN(empty.DetractorShare));
        Assert.Equal(empty, default);
    }

    [Theory]
    [InlineData(0, 0, 7, 100)]
    [InlineData(7, 0, 0, -100)]
    [InlineData(0, 7, 0, 0)]
    [InlineData(1, 2, 1, 0)]
    [InlineData(3, 5, 12, 45)]
    public void Passives_count_in_the_denominator(long detractors, long passives, long promoters, double nps) =>
        Assert.Equal(nps, new NpsCounts(detractors, passives, promoters).Nps, 1e-12);

    [Fact]
    public void Counts_pool_with_plus()
    {
        var pooled = new NpsCounts(1, 2, 3) + new NpsCounts(10, 20, 30);

        Assert.Equal(new NpsCounts(11, 22, 33), pooled);
        Assert.Equal(pooled, NpsCounts.Add(new NpsCounts(1, 2, 3), new NpsCounts(10, 20, 30)));
    }

    [Fact]
    public void Of_returns_the_count_of_a_category()
    {
        var counts = new NpsCounts(1, 2, 3);

        Assert.Equal(1, counts.Of(NpsCategory.Detractor));
        Assert.Equal(2, counts.Of(NpsCategory.Passive));
        Assert.Equal(3, counts.Of(NpsCategory.Promoter));
    }

    [Fact]
    public void Positional_shape_deconstructs()
    {
        var (detractors, passives, promoters) = new NpsCounts(Detractors: 4, Passives: 5, Promoters: 6);

        Assert.Equal((4L, 5L, 6L), (detractors, passives, promoters));
    }

    [Property]
    public bool Nps_is_within_plus_minus_100(NpsCounts counts) => counts.Nps is >= -100 and <= 100;

    [Property]
    public bool Variance_is_within_0_and_1(NpsCounts counts) => counts.Variance is >= 0 and <= 1;

    [Property]
    public bool Variance_is_zero_exactly_when_everyone_is_in_one_category(NpsCounts counts)
    {
        var oneCategory = counts.Detractors == counts.N || counts.Passives == counts.N || counts.Promoters == counts.N;
        return (counts.Variance == 0) == oneCategory;
    }

    [Property]
    public bool Variance_matches_the_covariance_form(NpsCounts counts)
    {
        // p(1 − p) + d(1 − d) + 2pd, the second form in statistics.md §1.1.
        double p = counts.PromoterShare, d = counts.DetractorShare;
        return Math.Abs(counts.Variance - ((p * (1 - p)) + (d * (1 - d)) + (2 * p * d))) < 1e-12;
    }

    [Property]
    public bool Shares_add_up_to_one(NpsCounts counts) =>
        Math.Abs(counts.PromoterShare + counts.PassiveShare + counts.DetractorShare - 1) < 1e-12;

    [Property]
    public bool Nps_is_promoter_share_minus_detractor_share(NpsCounts counts) =>
        Math.Abs(counts.Nps - (100 * (counts.PromoterShare - counts.DetractorShare))) < 1e-10;

    [Property]
    public bool Swapping_detractors_and_promoters_negates_NPS_and_keeps_variance(NpsCounts counts)
    {
        var mirrored = new NpsCounts(counts.Promoters, counts.Passives, counts.Detractors);
        return mirrored.Nps == -counts.Nps && mirrored.Variance == counts.Variance;
    }

    [Property]
    public bool Pooled_NPS_lies_between_the_parts(NpsCounts a, NpsCounts b)
    {
        var pooled = (a + b).Nps;
        return pooled >= Math.Min(a.Nps, b.Nps) - 1e-9 && pooled <= Math.Max(a.Nps, b.Nps) + 1e-9;
    }
}
