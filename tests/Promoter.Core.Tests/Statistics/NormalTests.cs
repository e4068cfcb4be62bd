using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Promoter.Core.Tests.Statistics;

public class NormalTests
{
    [Theory]
    [InlineData(0.975, 1.959963984540054)]
    [InlineData(0.95, 1.6448536269514722)]
    [InlineData(0.995, 2.5758293035489004)]
    [InlineData(0.5, 0.0)]
    [InlineData(0.025, -1.959963984540054)]
    public void Quantile_of_common_levels(double p, double z) => Assert.Equal(z, Normal.Quantile(p), 1e-14);

    [Fact]
    public void Quantile_is_infinite_at_0_and_1()
    {
        Assert.Equal(double.NegativeInfinity, Normal.Quantile(0));
        Assert.Equal(double.PositiveInfinity, Normal.Quantile(1));
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(1.1)]
    [InlineData(double.NaN)]
    public void Quantile_rejects_non_probabilities(double p) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Normal.Quantile(p));

    [Fact]
    public void Cdf_limits()
    {
        Assert.Equal(0.5, Normal.Cdf(0));
        Assert.Equal(0.0, Normal.Cdf(double.NegativeInfinity));
        Assert.Equal(1.0, Normal.Cdf(double.PositiveInfinity));
        Assert.True(double.IsNaN(Normal.Cdf(double.NaN)));
    }

    [Fact]
    public void Cdf_far_tail_keeps_relative_precision() =>
        // Φ(−10) = 7.6198530241605260659733432515993e-24 (published to 32 digits).
        Assert.Equal(1.0, Normal.Cdf(-10) / 7.6198530241605260659733432515993e-24, 1e-13);

    [Fact]
    public void Two_sided_p_values()
    {
        Assert.Equal(1.0, Normal.TwoSidedP(0));
        Assert.Equal(0.05, Normal.TwoSidedP(1.959963984540054), 1e-15);
        Assert.Equal(0.05, Normal.TwoSidedP(-1.959963984540054), 1e-15);
        Assert.Equal(0.0, Normal.TwoSidedP(double.PositiveInfinity));
        Assert.Equal(0.0, Normal.TwoSidedP(double.NegativeInfinity));
        Assert.True(double.IsNaN(Normal.TwoSidedP(double.NaN)));
    }

    [Fact]
    public void Pdf_at_zero_is_one_over_sqrt_two_pi() => Assert.Equal(1 / Math.Sqrt(2 * Math.PI), Normal.Pdf(0), 1e-16);

    [Property(MaxTest = 1000)]
    public Property Quantile_inverts_Cdf() => Prop.ForAll(
        // Φ(x) near 1 keeps only ~1e-16 absolute precision, so the round trip is ill-conditioned above x ≈ 3
        // (and Φ(x) is exactly 1 above 8.3); the lower tail is where precision is kept.
        Gen.Choose(-3000, 300).Select(i => i / 100.0).ToArbitrary(),
        x => Math.Abs(Normal.Quantile(Normal.Cdf(x)) - x) <= 1e-12 * Math.Max(1, Math.Abs(x)));

    [Property(MaxTest = 1000)]
    public Property Cdf_is_symmetric() => Prop.ForAll(
        Gen.Choose(-800, 800).Select(i => i / 100.0).ToArbitrary(),
        x => Math.Abs(Normal.Cdf(x) + Normal.Cdf(-x) - 1) <= 1e-15);

    [Property(MaxTest = 1000)]
    public Property Cdf_is_monotone() => Prop.ForAll(
        Gen.Choose(-4000, 4000).Select(i => i / 100.0).ToArbitrary(),
        x => Normal.Cdf(x) <= Normal.Cdf(x + 0.001));

    [Fact]
    public void Cdf_is_continuous_where_the_algorithm_switches()
    {
        foreach (var x in new[] { -2.5, 2.5 })
        {
            Assert.Equal(Normal.Cdf(Math.BitDecrement(x)), Normal.Cdf(x), 1e-15);
            Assert.Equal(Normal.Cdf(Math.BitIncrement(x)), Normal.Cdf(x), 1e-15);
        }
    }
}
