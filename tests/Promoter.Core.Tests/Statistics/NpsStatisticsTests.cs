namespace Promoter.Core.Tests.Statistics;

/// <summary>Hand-derived values; the full grid is in <see cref="ReferenceValueTests"/>.</summary>
public class NpsStatisticsTests
{
    private const double Z95 = 1.959963984540054;

    [Fact]
    public void Whuber_anchor_Wald_95()
    {
        // (54, 108, 162), n = 324: NPS = ⅓ → 33.333…; Var = 5/9;
        // SE = sqrt((5/9)/324) = sqrt(5)/54 = 0.0414087 → 4.14087 points.
        // Wald 95%: 33.3333 ± 1.959964 × 4.14087 = 33.3333 ± 8.11595 = [25.21738, 41.44928].
        var estimate = NpsStatistics.Estimate(new NpsCounts(54, 108, 162), ConfidenceMethod.Wald);

        Assert.Equal(100.0 / 3, estimate.Nps, 1e-12);
        Assert.Equal(5.0 / 9, estimate.Variance, 1e-15);
        Assert.Equal(100 * Math.Sqrt(5) / 54, estimate.StandardError, 1e-12);
        Assert.Equal(4.14087, estimate.StandardError, 5e-6);
        Assert.Equal(25.217384, estimate.Interval.Low, 1e-6);
        Assert.Equal(41.449283, estimate.Interval.High, 1e-6);
        Assert.Equal(Z95 * 100 * Math.Sqrt(5) / 54, estimate.MarginOfError, 1e-12);
        Assert.Equal(324, estimate.N);
        Assert.False(estimate.LowConfidence);
    }

    [Fact]
    public void Whuber_anchor_adjusted_Wald_95()
    {
        // Add (¾, 1½, ¾): ñ = 327, NPS~ = (162.75 − 54.75)/327 = 108/327 = 0.330275;
        // Var~ = 217.5/327 − 0.330275² = 0.665138 − 0.109082 = 0.556056; SE~ = sqrt(0.556056/327) = 0.0412365;
        // 0.330275 ± 1.959964 × 0.0412365 = [0.249453, 0.411098]. The raw NPS and SE are still reported.
        var estimate = NpsStatistics.Estimate(new NpsCounts(54, 108, 162));

        Assert.Equal(ConfidenceMethod.AdjustedWald, estimate.Interval.Method);
        Assert.Equal(0.95, estimate.Interval.Level);
        Assert.Equal(100.0 / 3, estimate.Nps, 1e-12);
        Assert.Equal(4.14087, estimate.StandardError, 5e-6);
        Assert.Equal(24.9453, estimate.Interval.Low, 5e-4);
        Assert.Equal(41.1098, estimate.Interval.High, 5e-4);
    }

    [Fact]
    public void Adjusted_Wald_for_ten_promoters_is_clipped_at_100()
    {
        // Rocks' note: ñ = 13, NPS~ = 10/13 = 0.769231, Var~ = 11.5/13 − (10/13)² = 0.292899,
        // SE~ = sqrt(0.292899/13) = 0.150103; unclipped upper = 0.769231 + 1.959964 × 0.150103 = 1.063427.
        var estimate = NpsStatistics.Estimate(new NpsCounts(0, 0, 10), ConfidenceMethod.AdjustedWald);
        var unclippedUpper = (10.0 / 13) + (Z95 * Math.Sqrt(((11.5 / 13) - Math.Pow(10.0 / 13, 2)) / 13));

        Assert.Equal(1.0634, unclippedUpper, 1e-4);
        Assert.Equal(100, estimate.Interval.High);
        Assert.Equal(100 * ((20.0 / 13) - unclippedUpper), estimate.Interval.Low, 1e-9);
        Assert.Equal(47.5036, estimate.Interval.Low, 1e-4);
    }

    [Fact]
    public void Tango_for_ten_promoters_has_a_closed_form()
    {
        // d = m = 0: q̃ = (1 − Δ)/2, Var = 1 − Δ², Z = sqrt(n(1 − Δ)/(1 + Δ)) = z ⇒ L = (n − z²)/(n + z²); U = 1 by rule.
        var estimate = NpsStatistics.Estimate(new NpsCounts(0, 0, 10), ConfidenceMethod.Tango);
        var z2 = Z95 * Z95;

        Assert.Equal(100 * (10 - z2) / (10 + z2), estimate.Interval.Low, 1e-9);
        Assert.Equal(100, estimate.Interval.High);
    }

    [Fact]
    public void Tango_for_all_passives_has_a_closed_form()
    {
        // d = p = 0: Z is 0/0 at Δ = 0; for Δ > 0, q̃ = 0 and Z = −sqrt(nΔ/(1 − Δ)) = −z ⇒ U = z²/(n + z²), L = −U.
        var estimate = NpsStatistics.Estimate(new NpsCounts(0, 10, 0), ConfidenceMethod.Tango);
        var z2 = Z95 * Z95;

        Assert.Equal(100 * z2 / (10 + z2), estimate.Interval.High, 1e-9);
        Assert.Equal(-100 * z2 / (10 + z2), estimate.Interval.Low, 1e-9);
    }

    [Fact]
    public void Wald_has_zero_width_when_everyone_agrees()
    {
        var estimate = NpsStatistics.Estimate(new NpsCounts(0, 0, 10), ConfidenceMethod.Wald);

        Assert.Equal(new ConfidenceInterval(ConfidenceMethod.Wald, 0.95, 100, 100), estimate.Interval);
        Assert.Equal(0, estimate.StandardError);
        Assert.Equal(0, estimate.MarginOfError);
    }

    [Theory]
    [InlineData(0, 0, 1)]
    [InlineData(1, 0, 0)]
    [InlineData(0, 1, 0)]
    [InlineData(1, 1, 1)]
    public void A_single_response_or_three_give_finite_sensible_intervals(long d, long m, long p)
    {
        foreach (var method in Enum.GetValues<ConfidenceMethod>())
        {
            var interval = NpsStatistics.Estimate(new NpsCounts(d, m, p), method).Interval;

            Assert.True(double.IsFinite(interval.Low) && double.IsFinite(interval.High));
            Assert.InRange(interval.Low, -100, 100);
            Assert.InRange(interval.High, interval.Low, 100);
            if (method != ConfidenceMethod.Wald)
            {
                Assert.True(interval.High - interval.Low > 50, $"{method} should be wide at n ≤ 3");
            }
        }
    }

    [Fact]
    public void Adjusted_Wald_misses_the_raw_NPS_for_one_promoter_at_95_percent()
    {
        // NPS~ = 0.75/4... = (1.75 − 0.75)/4 = 0.25, Var~ = 2.5/4 − 0.0625 = 0.5625, SE~ = 0.375:
        // 0.25 ± 0.734986 = [−0.484986, 0.984986], which excludes the raw NPS of 1 (see the interval properties).
        var estimate = NpsStatistics.Estimate(new NpsCounts(0, 0, 1));

        Assert.Equal(100, estimate.Nps);
        Assert.Equal(98.4986, estimate.Interval.High, 1e-4);
        Assert.Equal(-48.4986, estimate.Interval.Low, 1e-4);
        Assert.False(estimate.Interval.Contains(estimate.Nps));
    }

    [Theory]
    [InlineData(29, true)]
    [InlineData(30, false)]
    public void Fewer_than_30_responses_is_low_confidence(long n, bool low) =>
        Assert.Equal(low, NpsStatistics.Estimate(new NpsCounts(0, n, 0)).LowConfidence);

    [Fact]
    public void No_responses_cannot_be_estimated()
    {
        foreach (var method in Enum.GetValues<ConfidenceMethod>())
        {
            Assert.Throws<InvalidOperationException>(() => NpsStatistics.Estimate(new NpsCounts(0, 0, 0), method));
        }
    }

    [Theory]
    [InlineData(0.49)]
    [InlineData(1.0)]
    [InlineData(0.0)]
    [InlineData(-0.95)]
    [InlineData(95)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void Levels_outside_half_to_one_are_rejected(double level) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => NpsStatistics.Estimate(new NpsCounts(1, 1, 1), level: level));

    [Fact]
    public void Level_one_half_is_accepted() =>
        Assert.Equal(0.5, NpsStatistics.Estimate(new NpsCounts(1, 1, 1), level: 0.5).Interval.Level);

    [Fact]
    public void Unknown_methods_are_rejected() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => NpsStatistics.Estimate(new NpsCounts(1, 1, 1), (ConfidenceMethod)7));

    [Fact]
    public void Huge_counts_stay_finite()
    {
        var counts = new NpsCounts(3_000_000_000_000, 1, 4_000_000_000_000);
        foreach (var method in Enum.GetValues<ConfidenceMethod>())
        {
            var estimate = NpsStatistics.Estimate(counts, method);
            Assert.True(estimate.Interval.Contains(estimate.Nps), method.ToString());
            Assert.True(estimate.MarginOfError < 0.01);
        }
    }
}
