using FsCheck.Xunit;
using Promoter.Core.Tests.Support;

namespace Promoter.Core.Tests.Statistics;

[Properties(Arbitrary = [typeof(NpsArbitraries)], MaxTest = 500)]
public class ControlLimitsTests
{
    [Fact]
    public void Limits_are_three_sigma_around_the_baseline()
    {
        // Baseline (54, 108, 162): centre 33.333, V̄ = 5/9; n_t = 100: 3 × 100 × sqrt((5/9)/100) = 22.3607.
        var limits = ControlLimits.ForPeriod(new NpsCounts(54, 108, 162), 100);

        Assert.Equal(100.0 / 3, limits.Centre, 1e-12);
        Assert.Equal((100.0 / 3) - (300 * Math.Sqrt(5.0 / 900)), limits.Lower, 1e-9);
        Assert.Equal((100.0 / 3) + (300 * Math.Sqrt(5.0 / 900)), limits.Upper, 1e-9);
        Assert.True(limits.IsOutOfControl(10));
        Assert.True(limits.IsOutOfControl(56));
        Assert.False(limits.IsOutOfControl(33));
        Assert.False(limits.IsOutOfControl(limits.Lower));
        Assert.False(limits.IsOutOfControl(double.NaN));
    }

    [Fact]
    public void Limits_are_clipped_to_plus_minus_100()
    {
        var limits = ControlLimits.ForPeriod(new NpsCounts(1, 0, 99), 1);

        Assert.Equal(100, limits.Upper);
        Assert.InRange(limits.Lower, -100, limits.Centre);
    }

    [Fact]
    public void Two_sigma_limits_are_narrower()
    {
        var baseline = new NpsCounts(20, 30, 50);

        Assert.True(ControlLimits.ForPeriod(baseline, 50, 2).Upper < ControlLimits.ForPeriod(baseline, 50).Upper);
    }

    [Fact]
    public void Invalid_arguments_are_rejected()
    {
        var baseline = new NpsCounts(1, 1, 1);

        Assert.Throws<InvalidOperationException>(() => ControlLimits.ForPeriod(default, 10));
        Assert.Throws<ArgumentOutOfRangeException>(() => ControlLimits.ForPeriod(baseline, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => ControlLimits.ForPeriod(baseline, 10, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => ControlLimits.ForPeriod(baseline, 10, double.NaN));
        Assert.Throws<ArgumentOutOfRangeException>(() => ControlLimits.ForPeriod(baseline, 10, double.PositiveInfinity));
    }

    [Property]
    public bool Limits_bracket_the_centre_and_narrow_as_periods_grow(NpsCounts baseline, int periodSize)
    {
        var n = 1 + Math.Abs((long)periodSize);
        var limits = ControlLimits.ForPeriod(baseline, n);
        var larger = ControlLimits.ForPeriod(baseline, n * 4);
        return limits.Lower <= limits.Centre && limits.Centre <= limits.Upper
            && limits.Lower >= -100 && limits.Upper <= 100
            && larger.Lower >= limits.Lower && larger.Upper <= limits.Upper;
    }
}
