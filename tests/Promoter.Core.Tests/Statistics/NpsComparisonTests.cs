using FsCheck.Xunit;
using Promoter.Core.Tests.Support;

namespace Promoter.Core.Tests.Statistics;

[Properties(Arbitrary = [typeof(NpsArbitraries)], MaxTest = 1000)]
public class NpsComparisonTests
{
    [Fact]
    public void Independent_difference_keeps_its_sign()
    {
        // A = (40, 25, 35): NPS −5, V_A = 0.35 + 0.40 − 0.05² = 0.7475. B = (30, 30, 40): NPS 10, V_B = 0.69.
        // Difference = 10 − (−5) = +15; SE = sqrt(0.7475/100 + 0.69/100) = 0.119896 → 11.9896 points;
        // z = 1.25109, p = 0.21090; 95% CI = 15 ± 1.959964 × 11.9896 = [−8.4991, 38.4991].
        var result = NpsComparison.CompareIndependent(new NpsCounts(40, 25, 35), new NpsCounts(30, 30, 40));

        Assert.Equal(15, result.Difference, 1e-9);
        Assert.Equal(100 * Math.Sqrt(0.014375), result.StandardError, 1e-9);
        Assert.Equal(1.25109, result.Z, 1e-5);
        Assert.Equal(0.21090, result.P, 1e-5);
        Assert.Equal(-8.4991, result.Interval.Low, 1e-4);
        Assert.Equal(38.4991, result.Interval.High, 1e-4);
        Assert.Equal(ConfidenceMethod.Wald, result.Interval.Method);
        Assert.False(result.Significant);
    }

    [Fact]
    public void Adjusted_comparison_uses_the_adjusted_NPS_of_each_group()
    {
        var a = new NpsCounts(3, 5, 12);
        var b = new NpsCounts(7, 2, 1);
        var result = NpsComparison.CompareIndependent(a, b, adjusted: true);

        // NPS~ = (p − d)/(n + 3): A = 9/23, B = −6/13.
        Assert.Equal(100 * ((-6.0 / 13) - (9.0 / 23)), result.Difference, 1e-9);
        Assert.Equal(ConfidenceMethod.AdjustedWald, result.Interval.Method);
        Assert.True(result.Significant);
    }

    [Fact]
    public void Identical_unanimous_groups_have_z_zero_and_p_one()
    {
        var result = NpsComparison.CompareIndependent(new NpsCounts(0, 0, 10), new NpsCounts(0, 0, 4));

        Assert.Equal(0, result.Difference);
        Assert.Equal(0, result.StandardError);
        Assert.Equal(0, result.Z);
        Assert.Equal(1, result.P);
        Assert.False(result.Significant);
    }

    [Fact]
    public void Opposite_unanimous_groups_have_infinite_z_and_p_zero()
    {
        var result = NpsComparison.CompareIndependent(new NpsCounts(0, 0, 10), new NpsCounts(10, 0, 0));

        Assert.Equal(-200, result.Difference);
        Assert.Equal(double.NegativeInfinity, result.Z);
        Assert.Equal(0, result.P);
        Assert.True(result.Significant);
        Assert.Equal(-200, result.Interval.Low);
        Assert.Equal(-200, result.Interval.High);
    }

    [Fact]
    public void Empty_groups_cannot_be_compared()
    {
        Assert.Throws<InvalidOperationException>(() => NpsComparison.CompareIndependent(default, new NpsCounts(1, 1, 1)));
        Assert.Throws<InvalidOperationException>(() => NpsComparison.CompareIndependent(new NpsCounts(1, 1, 1), default));
        Assert.Throws<InvalidOperationException>(() => NpsComparison.ComparePaired(PairedTable.Create(new long[9])));
    }

    [Fact]
    public void Bad_levels_are_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => NpsComparison.CompareIndependent(new NpsCounts(1, 1, 1), new NpsCounts(1, 1, 1), 1.0));
        Assert.Throws<ArgumentOutOfRangeException>(() => NpsComparison.ComparePaired(PairedTable.Create([1, 0, 0, 0, 0, 0, 0, 0, 0]), 0.1));
    }

    [Fact]
    public void Paired_change_is_the_mean_per_person_change()
    {
        // Rows A, columns B (D, P, Pr): 10 5 2 / 4 20 6 / 1 3 30, n = 81.
        // ΣD = 5·1 + 2·2 + 4·(−1) + 6·1 + 1·(−2) + 3·(−1) = 6 → mean 6/81 = 0.0740741 (+7.40741 points);
        // ΣD² = 5 + 8 + 4 + 6 + 4 + 3 = 30 → Var = 30/81 − (6/81)² = 0.364883; SE = sqrt(Var/81) = 0.0671173.
        var table = PairedTable.Create([10, 5, 2, 4, 20, 6, 1, 3, 30]);
        var result = NpsComparison.ComparePaired(table);

        Assert.Equal(100 * 6.0 / 81, result.Difference, 1e-9);
        Assert.Equal(100 * Math.Sqrt(((30.0 / 81) - Math.Pow(6.0 / 81, 2)) / 81), result.StandardError, 1e-9);
        Assert.Equal(table.After.Nps - table.Before.Nps, result.Difference, 1e-9);
    }

    [Fact]
    public void Paired_SE_is_smaller_than_the_independent_SE_when_people_are_consistent()
    {
        var table = PairedTable.Create([10, 5, 2, 4, 20, 6, 1, 3, 30]);

        Assert.True(NpsComparison.ComparePaired(table).StandardError < NpsComparison.CompareIndependent(table.Before, table.After).StandardError);
    }

    [Fact]
    public void Nobody_changing_gives_z_zero_and_p_one()
    {
        var result = NpsComparison.ComparePaired(PairedTable.Create([5, 0, 0, 0, 5, 0, 0, 0, 5]));

        Assert.Equal((0.0, 0.0, 0.0, 1.0, false), (result.Difference, result.StandardError, result.Z, result.P, result.Significant));
    }

    [Property]
    public bool Swapping_A_and_B_negates_the_comparison(NpsCounts a, NpsCounts b, Level level, bool adjusted)
    {
        var forward = NpsComparison.CompareIndependent(a, b, level.Value, adjusted);
        var backward = NpsComparison.CompareIndependent(b, a, level.Value, adjusted);
        return backward.Difference == -forward.Difference
            && backward.StandardError == forward.StandardError
            && backward.Z == -forward.Z
            && backward.P == forward.P
            && backward.Interval.Low == -forward.Interval.High
            && backward.Interval.High == -forward.Interval.Low
            && backward.Significant == forward.Significant;
    }

    [Property]
    public bool Independent_comparison_is_consistent(NpsCounts a, NpsCounts b, Level level, bool adjusted)
    {
        var result = NpsComparison.CompareIndependent(a, b, level.Value, adjusted);
        var z = Normal.Quantile(1 - ((1 - level.Value) / 2));
        var nearBoundary = Math.Abs(Math.Abs(result.Z) - z) < 1e-9;
        return !double.IsNaN(result.Z) && !double.IsNaN(result.P)
            && result.P is >= 0 and <= 1
            && result.Interval.Low >= -200 && result.Interval.High <= 200 && result.Interval.Low <= result.Interval.High
            && result.Difference is >= -200 and <= 200
            && (adjusted || Math.Abs(result.Difference - (b.Nps - a.Nps)) < 1e-9)
            && (nearBoundary || result.Significant == !result.Interval.Contains(0) || result.StandardError == 0);
    }

    [Property]
    public bool Paired_difference_equals_the_change_in_NPS(PairedTable table, Level level)
    {
        var result = NpsComparison.ComparePaired(table, level.Value);
        return Math.Abs(result.Difference - (table.After.Nps - table.Before.Nps)) < 1e-9
            && !double.IsNaN(result.Z) && result.P is >= 0 and <= 1
            && result.Interval.Low >= -200 && result.Interval.High <= 200 && result.Interval.Low <= result.Interval.High;
    }

    [Property]
    public bool Transposing_a_paired_table_negates_the_change(PairedTable table, Level level)
    {
        var cells = table.ToArray();
        var transposed = PairedTable.Create([cells[0], cells[3], cells[6], cells[1], cells[4], cells[7], cells[2], cells[5], cells[8]]);
        var forward = NpsComparison.ComparePaired(table, level.Value);
        var backward = NpsComparison.ComparePaired(transposed, level.Value);
        return backward.Difference == -forward.Difference && backward.StandardError == forward.StandardError && backward.P == forward.P;
    }
}
