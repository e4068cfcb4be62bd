using FsCheck.Xunit;

namespace Promoter.Core.Tests.Statistics;

public class SampleSizeTests
{
    /// <summary>
    /// statistics.md §2.4's table is the plain Wald margin 100·1.96·sqrt(V/n) with V = 0.6: solving each row for V
    /// gives 0.599–0.601. The adjusted form sqrt(V/(n + 3)) would need V from 0.66 (n = 30) to 0.60 (n = 1000).
    /// </summary>
    [Theory]
    [InlineData(30, 27.7)]
    [InlineData(50, 21.5)]
    [InlineData(100, 15.2)]
    [InlineData(200, 10.7)]
    [InlineData(400, 7.6)]
    [InlineData(1000, 4.8)]
    public void Margin_of_error_reproduces_the_published_table(long n, double margin)
    {
        Assert.Equal(margin, Math.Round(SampleSize.MarginOfErrorFor(n, 0.6, 0.95), 1));
        Assert.Equal(margin, Math.Round(SampleSize.MarginOfErrorFor(n), 1));
        Assert.InRange(n * Math.Pow(margin / 100 / 1.959964, 2), 0.59, 0.61);
    }

    [Fact]
    public void Adjusted_margin_does_not_reproduce_the_table() =>
        Assert.Equal(26.4, Math.Round(SampleSize.MarginOfErrorFor(30, 0.6, 0.95, adjusted: true), 1));

    [Fact]
    public void Sample_size_for_five_points()
    {
        // z²V/E² = 3.841459 × 0.6 / 0.05² = 921.95 → 922 responses; adjusted: 921.95 − 3 → 919.
        Assert.Equal(922, SampleSize.ForMarginOfError(5, 0.6, 0.95, adjusted: false));
        Assert.Equal(919, SampleSize.ForMarginOfError(5));
    }

    [Fact]
    public void Sample_size_is_at_least_one()
    {
        Assert.Equal(1, SampleSize.ForMarginOfError(150));
        Assert.Equal(1, SampleSize.ForMarginOfError(5, variance: 0));
    }

    [Fact]
    public void Table_margins_give_back_their_sample_sizes_up_to_rounding()
    {
        Assert.InRange(SampleSize.ForMarginOfError(27.7, 0.6, 0.95, adjusted: false), 30, 31);
        Assert.InRange(SampleSize.ForMarginOfError(4.8, 0.6, 0.95, adjusted: false), 1000, 1001);
    }

    [Property(MaxTest = 500)]
    public bool Sample_size_inverts_margin_of_error(ushort size, bool adjusted)
    {
        var n = 1L + size;
        foreach (var (variance, level) in new[] { (0.6, 0.95), (0.25, 0.9), (1.0, 0.99) })
        {
            var margin = SampleSize.MarginOfErrorFor(n, variance, level, adjusted);
            if (SampleSize.ForMarginOfError(margin, variance, level, adjusted) != n)
            {
                return false;
            }
        }

        return true;
    }

    [Fact]
    public void Invalid_arguments_are_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => SampleSize.ForMarginOfError(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => SampleSize.ForMarginOfError(-5));
        Assert.Throws<ArgumentOutOfRangeException>(() => SampleSize.ForMarginOfError(double.NaN));
        Assert.Throws<ArgumentOutOfRangeException>(() => SampleSize.ForMarginOfError(5, variance: 1.1));
        Assert.Throws<ArgumentOutOfRangeException>(() => SampleSize.ForMarginOfError(5, variance: -0.1));
        Assert.Throws<ArgumentOutOfRangeException>(() => SampleSize.ForMarginOfError(5, level: 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => SampleSize.MarginOfErrorFor(0));
        Assert.Throws<OverflowException>(() => SampleSize.ForMarginOfError(1e-10, 1, 0.99));
    }
}
