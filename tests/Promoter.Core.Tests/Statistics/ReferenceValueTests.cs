using Promoter.Core.Tests.Support;

namespace Promoter.Core.Tests.Statistics;

/// <summary>
/// Cross-checks against the independent Python implementation in tests/reference/nps_reference.py
/// (statistics.NormalDist quantiles, math.erfc, Tango by plain 200-step bisection). Bar: 1e-6 points.
/// </summary>
public class ReferenceValueTests
{
    private const double Tolerance = 1e-6;

    public static TheoryData<long, long, long, string, double, double, double, double, double> OneSample()
    {
        var data = new TheoryData<long, long, long, string, double, double, double, double, double>();
        foreach (var row in ReferenceCsv.Read("nps_reference.csv"))
        {
            data.Add(
                ReferenceCsv.Count(row["detractors"]), ReferenceCsv.Count(row["passives"]), ReferenceCsv.Count(row["promoters"]),
                row["method"], ReferenceCsv.Number(row["level"]), ReferenceCsv.Number(row["nps"]), ReferenceCsv.Number(row["se"]),
                ReferenceCsv.Number(row["low"]), ReferenceCsv.Number(row["high"]));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(OneSample))]
    public void Estimate_matches_reference(
        long detractors, long passives, long promoters, string method, double level, double nps, double se, double low, double high)
    {
        Assert.True(ConfidenceMethods.TryParse(method, out var parsed));

        var estimate = NpsStatistics.Estimate(new NpsCounts(detractors, passives, promoters), parsed, level);

        Assert.Equal(nps, estimate.Nps, Tolerance);
        Assert.Equal(se, estimate.StandardError, Tolerance);
        Assert.Equal(low, estimate.Interval.Low, Tolerance);
        Assert.Equal(high, estimate.Interval.High, Tolerance);
        Assert.Equal(parsed, estimate.Interval.Method);
        Assert.Equal(level, estimate.Interval.Level);
    }

    /// <summary>Case = "kind|a counts|b counts|paired cells", e.g. "paired|17 30 34|15 28 38|10 5 2 4 20 6 1 3 30".</summary>
    public static TheoryData<string, double, bool, double, double, double, double, double, double> Comparisons()
    {
        var data = new TheoryData<string, double, bool, double, double, double, double, double, double>();
        foreach (var row in ReferenceCsv.Read("compare_reference.csv"))
        {
            data.Add(
                string.Join('|',
                    row["kind"],
                    $"{row["a_detractors"]} {row["a_passives"]} {row["a_promoters"]}",
                    $"{row["b_detractors"]} {row["b_passives"]} {row["b_promoters"]}",
                    row["paired_table"]),
                ReferenceCsv.Number(row["level"]),
                row["adjusted"] == "true",
                ReferenceCsv.Number(row["difference"]),
                ReferenceCsv.Number(row["se"]),
                ReferenceCsv.Number(row["z"]),
                ReferenceCsv.Number(row["p"]),
                ReferenceCsv.Number(row["low"]),
                ReferenceCsv.Number(row["high"]));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Comparisons))]
    public void Comparison_matches_reference(
        string @case, double level, bool adjusted, double difference, double se, double z, double p, double low, double high)
    {
        var parts = @case.Split('|');
        var (kind, a, b, table) = (parts[0], parts[1], parts[2], parts[3]);
        var result = kind switch
        {
            "independent" => NpsComparison.CompareIndependent(CountsFrom(a), CountsFrom(b), level, adjusted),
            "paired" => NpsComparison.ComparePaired(PairedTable.Create(Numbers(table)), level),
            _ => throw new InvalidOperationException(kind),
        };

        Assert.Equal(difference, result.Difference, Tolerance);
        Assert.Equal(se, result.StandardError, Tolerance);
        if (double.IsInfinity(z))
        {
            Assert.Equal(z, result.Z);
        }
        else
        {
            Assert.Equal(z, result.Z, Tolerance);
        }

        // p-values also to 1e-9 relative, so tiny ones are checked too.
        Assert.True(Math.Abs(p - result.P) <= Math.Max(1e-9 * p, 1e-15), $"p {result.P:R} vs {p:R}");
        Assert.Equal(low, result.Interval.Low, Tolerance);
        Assert.Equal(high, result.Interval.High, Tolerance);
        Assert.Equal(p < 1 - level, result.Significant);
        if (kind == "paired")
        {
            var cells = PairedTable.Create(Numbers(table));
            Assert.Equal(CountsFrom(a), cells.Before);
            Assert.Equal(CountsFrom(b), cells.After);
        }
    }

    public static TheoryData<string, double, double> NormalValues()
    {
        var data = new TheoryData<string, double, double>();
        foreach (var row in ReferenceCsv.Read("normal_reference.csv"))
        {
            data.Add(row["function"], ReferenceCsv.Number(row["argument"]), ReferenceCsv.Number(row["value"]));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(NormalValues))]
    public void Normal_matches_reference(string function, double argument, double expected)
    {
        if (function == "cdf")
        {
            // Python's erfc(x/√2) and our exp(−x²/2) both lose ~x²·1e-16 relative precision far out in the tail.
            var relative = Math.Abs(argument) <= 10 ? 1e-13 : 1e-11;
            var actual = Normal.Cdf(argument);
            Assert.True(Math.Abs(actual - expected) <= relative * expected, $"Φ({argument}) = {actual:R}, expected {expected:R}");
        }
        else
        {
            var actual = Normal.Quantile(argument);
            Assert.True(
                Math.Abs(actual - expected) <= 1e-13 * Math.Max(1, Math.Abs(expected)),
                $"Φ⁻¹({argument}) = {actual:R}, expected {expected:R}");
        }
    }

    private static NpsCounts CountsFrom(string text)
    {
        var n = Numbers(text);
        return new NpsCounts(n[0], n[1], n[2]);
    }

    private static long[] Numbers(string text) => [.. text.Split(' ').Select(ReferenceCsv.Count)];
}
