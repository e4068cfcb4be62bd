using Promoter.Core.Statistics;

namespace Promoter.Core.Tests.Statistics;

public sealed class ThemeImpactTests
{
    [Fact]
    public void Impact_and_interval_equal_the_hand_computed_example()
    {
        // All: 40 detractors, 30 passives, 30 promoters (n = 100): NPS = (30 − 40)/100 = −10.
        // With the theme: 20 / 5 / 5 (n_T = 30): NPS_T = (5 − 20)/30 = −50.
        // Without: 20 / 25 / 25 (n_R = 70): NPS_R = 5/70 = +7.142857.
        // Impact = −10 − 7.142857 = −17.142857 = w·(NPS_T − NPS_R) with w = 0.3: 0.3·(−57.142857) = −17.142857.
        // Interval, adjusted Wald (+0.75 / 1.5 / 0.75 per group), w fixed:
        //   T~: d = 20.75, p = 5.75, ñ = 33: NPS~ = −15/33 = −0.4545455; V~ = 26.5/33 − 0.4545455² = 0.5964187
        //   R~: d = 20.75, p = 25.75, ñ = 73: NPS~ = 5/73 = 0.0684932;  V~ = 46.5/73 − 0.0684932² = 0.6322950
        //   centre = 0.3·(−0.4545455 − 0.0684932) = −0.1569116
        //   half   = 1.959964·0.3·sqrt(0.5964187/33 + 0.6322950/73) = 1.959964·0.3·0.1635091 = 0.0961409
        //   → [−25.30525, −6.07706] points.
        var estimate = ThemeImpact.Estimate(new NpsCounts(40, 30, 30), new NpsCounts(20, 5, 5));

        Assert.Equal(-17.142857142857, estimate.Impact, 1e-9);
        Assert.Equal(-25.30525, estimate.Low, 1e-4);
        Assert.Equal(-6.07706, estimate.High, 1e-4);
        Assert.Equal(-50, estimate.NpsWith, 1e-9);
        Assert.Equal(7.142857142857, estimate.NpsWithout, 1e-9);
        Assert.Equal(100, estimate.N);
        Assert.Equal(30, estimate.NWith);
    }

    [Fact]
    public void A_theme_no_response_has_has_exactly_zero_impact()
    {
        var estimate = ThemeImpact.Estimate(new NpsCounts(10, 10, 10), new NpsCounts(0, 0, 0));
        Assert.Equal((0.0, 0.0, 0.0), (estimate.Impact, estimate.Low, estimate.High));
        Assert.True(double.IsNaN(estimate.NpsWith));
        Assert.Equal(0, estimate.NpsWithout, 1e-12);
    }

    [Fact]
    public void A_theme_every_response_has_has_no_defined_impact()
    {
        var estimate = ThemeImpact.Estimate(new NpsCounts(1, 2, 3), new NpsCounts(1, 2, 3));
        Assert.True(double.IsNaN(estimate.Impact));
        Assert.True(double.IsNaN(estimate.NpsWithout));
        Assert.Equal(100.0 * 2 / 6, estimate.NpsWith, 1e-12);
    }

    [Fact]
    public void The_interval_stays_within_what_the_share_allows()
    {
        // A tiny theme of promoters among detractors: impact is at most 2·w in unit terms.
        var estimate = ThemeImpact.Estimate(new NpsCounts(99, 0, 1), new NpsCounts(0, 0, 1));
        Assert.Equal(2.0, estimate.Impact, 1e-9); // NPS(all) = −98, NPS(rest) = −100 → +2
        Assert.InRange(estimate.Low, -2.0, 2.0);
        Assert.InRange(estimate.High, -2.0, 2.0);
    }

    [Fact]
    public void Bad_input_is_rejected()
    {
        Assert.Throws<InvalidOperationException>(() => ThemeImpact.Estimate(new NpsCounts(0, 0, 0), new NpsCounts(0, 0, 0)));
        Assert.Equal("withTheme", Assert.Throws<ArgumentOutOfRangeException>(() => ThemeImpact.Estimate(new NpsCounts(1, 1, 1), new NpsCounts(2, 0, 0))).ParamName);
        Assert.Equal("level", Assert.Throws<ArgumentOutOfRangeException>(() => ThemeImpact.Estimate(new NpsCounts(1, 1, 1), new NpsCounts(1, 0, 0), 1.5)).ParamName);
    }
}
