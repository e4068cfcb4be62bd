using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Promoter.Core.Tests.Statistics;

public class MultipleComparisonsTests
{
    [Fact]
    public void Holm_worked_example()
    {
        // Sorted: 0.005 × 4 = 0.02; 0.01 × 3 = 0.03; 0.03 × 2 = 0.06; 0.04 × 1 = 0.04 → carried up to 0.06.
        var adjusted = MultipleComparisons.HolmAdjust([0.01, 0.04, 0.03, 0.005]);
        double[] expected = [0.03, 0.06, 0.06, 0.02];

        Assert.Equal(expected, adjusted, (x, y) => Math.Abs(x - y) < 1e-15);
    }

    [Fact]
    public void Holm_caps_at_one_and_handles_ties()
    {
        Assert.Equal([1.0, 1.0], MultipleComparisons.HolmAdjust([0.6, 0.9]));
        Assert.Equal([0.02, 0.02], MultipleComparisons.HolmAdjust([0.01, 0.01]));
    }

    [Fact]
    public void Holm_of_nothing_or_one_value()
    {
        Assert.Empty(MultipleComparisons.HolmAdjust([]));
        Assert.Equal([0.2], MultipleComparisons.HolmAdjust([0.2]));
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(-0.01)]
    [InlineData(1.01)]
    public void Holm_rejects_non_probabilities(double p) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => MultipleComparisons.HolmAdjust([0.5, p]));

    private static Arbitrary<double[]> PValues() =>
        Gen.ArrayOf(Gen.Frequency(
            (5, Gen.Choose(0, 1_000_000).Select(i => i / 1_000_000.0)),
            (1, Gen.Elements(0.0, 0.01, 0.05, 1.0)))).ToArbitrary();

    [Property(MaxTest = 1000)]
    public Property Holm_is_at_least_raw_at_most_one_and_monotone() => Prop.ForAll(PValues(), p =>
    {
        var adjusted = MultipleComparisons.HolmAdjust(p);
        var bounded = Enumerable.Range(0, p.Length).All(i => adjusted[i] >= p[i] && adjusted[i] <= 1);
        var monotone = Enumerable.Range(0, p.Length).All(i =>
            Enumerable.Range(0, p.Length).All(j => p[i] > p[j] || adjusted[i] <= adjusted[j]));
        return bounded && monotone;
    });

    [Property(MaxTest = 1000)]
    public Property Smallest_Holm_value_is_Bonferroni() => Prop.ForAll(PValues(), p =>
        p.Length == 0 || MultipleComparisons.HolmAdjust(p).Min() == Math.Min(1, p.Length * p.Min()));
}
