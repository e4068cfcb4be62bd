using System.Globalization;
using Promoter.Core.Statistics;
using Promoter.Core.Tests.Support;

namespace Promoter.Core.Tests.Statistics;

/// <summary>Checked against tests/reference/keyness_reference.py, which computes both forms independently.</summary>
public sealed class KeynessTests
{
    private const double Tolerance = 1e-12;

    public static TheoryData<string> TwoGroupCases() => new(ReferenceCsv.Read("keyness_two_reference.csv").Select(r => r["case"]).Distinct());

    [Theory]
    [MemberData(nameof(TwoGroupCases))]
    public void Two_groups_match_the_independent_reference(string name)
    {
        var rows = ReferenceCsv.Read("keyness_two_reference.csv").Where(r => r["case"] == name).ToList();
        var first = rows[0];
        var options = new KeynessOptions(
            first["prior"] == "informative" ? KeynessPrior.Informative : KeynessPrior.Uniform,
            ReferenceCsv.Number(first["strength"]),
            ReferenceCsv.Number(first["alpha"]),
            ReferenceCsv.Count(first["min_count"]));
        var counts = rows.ToDictionary(r => r["key"], r => (ReferenceCsv.Count(r["count_i"]), ReferenceCsv.Count(r["count_j"])));

        var result = Keyness.TwoGroups(counts, options);

        var expected = rows.Where(r => r["rank"] != "-1").OrderBy(r => int.Parse(r["rank"], CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(expected.Select(r => r["key"]), result.Select(t => t.Key)); // membership (min count) and order (ζ desc)
        foreach (var (row, term) in expected.Zip(result))
        {
            Assert.Equal(ReferenceCsv.Count(row["count_i"]), term.CountI);
            Assert.Equal(ReferenceCsv.Count(row["count_j"]), term.CountJ);
            Assert.Equal(ReferenceCsv.Number(row["delta"]), term.Delta, Tolerance);
            Assert.Equal(ReferenceCsv.Number(row["sigma"]), term.Sigma, Tolerance);
            Assert.Equal(ReferenceCsv.Number(row["zeta"]), term.Zeta, Tolerance);
            Assert.Equal(Math.Abs(term.Zeta) > 1.96, term.Significant);
        }
    }

    public static TheoryData<string> EachCases() => new(ReferenceCsv.Read("keyness_each_reference.csv").Select(r => r["case"]).Distinct());

    [Theory]
    [MemberData(nameof(EachCases))]
    public void Each_vs_all_matches_the_independent_reference(string name)
    {
        var rows = ReferenceCsv.Read("keyness_each_reference.csv").Where(r => r["case"] == name).ToList();
        var counts = rows.GroupBy(r => r["key"]).ToDictionary(
            g => g.Key,
            g => new[] { ReferenceCsv.Count(g.First()["c0"]), ReferenceCsv.Count(g.First()["c1"]), ReferenceCsv.Count(g.First()["c2"]) });
        var options = new KeynessOptions(MinCount: ReferenceCsv.Count(rows[0]["min_count"]));

        var result = Keyness.EachVsAll(counts, options);

        var expected = rows.Where(r => r["rank"] != "-1")
            .OrderBy(r => int.Parse(r["category"], CultureInfo.InvariantCulture))
            .ThenBy(r => int.Parse(r["rank"], CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(expected.Select(r => (r["key"], int.Parse(r["category"], CultureInfo.InvariantCulture))), result.Select(t => (t.Key, t.Category)));
        foreach (var (row, term) in expected.Zip(result))
        {
            Assert.Equal(counts[term.Key][term.Category], term.Count);
            Assert.Equal(counts[term.Key].Sum(), term.Pooled);
            Assert.Equal(ReferenceCsv.Number(row["delta"]), term.Delta, Tolerance);
            Assert.Equal(ReferenceCsv.Number(row["sigma"]), term.Sigma, Tolerance);
            Assert.Equal(ReferenceCsv.Number(row["zeta"]), term.Zeta, Tolerance);
            Assert.Equal(Math.Abs(term.Zeta) > 1.96, term.Significant);
        }
    }

    [Fact]
    public void A_term_absent_from_one_group_gets_a_finite_score_on_the_side_where_it_occurs()
    {
        var counts = new Dictionary<string, (long, long)> { ["rude"] = (8, 0), ["love"] = (0, 8), ["app"] = (10, 10) };
        var result = Keyness.TwoGroups(counts, new KeynessOptions(MinCount: 1));
        Assert.Equal(["rude", "app", "love"], result.Select(t => t.Key));
        Assert.All(result, t => Assert.True(double.IsFinite(t.Zeta)));
        Assert.True(result[0].Delta > 0);
        Assert.True(result[2].Delta < 0);
        Assert.Equal(-result[0].Zeta, result[2].Zeta, 1e-12); // symmetric data, symmetric scores
    }

    [Fact]
    public void Rare_terms_are_left_out_but_still_count_in_the_totals()
    {
        var common = new Dictionary<string, (long, long)> { ["slow"] = (10, 2), ["great"] = (2, 10) };
        var withRare = new Dictionary<string, (long, long)>(common) { ["rare"] = (4, 0) };
        var without = Keyness.TwoGroups(common, new KeynessOptions());
        var with = Keyness.TwoGroups(withRare, new KeynessOptions());
        Assert.Equal(["slow", "great"], with.Select(t => t.Key));
        Assert.NotEqual(without[0].Delta, with[0].Delta); // the rare term's counts moved n^i
    }

    [Fact]
    public void Equal_scores_are_ordered_by_key()
    {
        var counts = new Dictionary<string, (long, long)> { ["b"] = (5, 5), ["a"] = (5, 5), ["c"] = (5, 5) };
        Assert.Equal(["a", "b", "c"], Keyness.TwoGroups(counts, new KeynessOptions()).Select(t => t.Key));
    }

    [Fact]
    public void An_empty_group_gives_nothing_to_compare()
    {
        var counts = new Dictionary<string, (long, long)> { ["slow"] = (10, 0), ["rude"] = (6, 0) };
        Assert.Empty(Keyness.TwoGroups(counts, new KeynessOptions(MinCount: 1)));
        Assert.Empty(Keyness.TwoGroups(new Dictionary<string, (long, long)>(), new KeynessOptions()));
        Assert.Empty(Keyness.EachVsAll(new Dictionary<string, long[]> { ["only"] = [3, 4, 5] }, new KeynessOptions(MinCount: 1)));
    }

    [Theory]
    [InlineData(0L, 10.0, 0.01, "MinCount")]
    [InlineData(-1L, 10.0, 0.01, "MinCount")]
    [InlineData(5L, 0.0, 0.01, "PriorStrength")]
    [InlineData(5L, -1.0, 0.01, "PriorStrength")]
    [InlineData(5L, double.NaN, 0.01, "PriorStrength")]
    [InlineData(5L, 10.0, 0.0, "Alpha")]
    [InlineData(5L, 10.0, double.PositiveInfinity, "Alpha")]
    public void Invalid_options_are_rejected_naming_the_parameter(long minCount, double strength, double alpha, string parameter)
    {
        var options = new KeynessOptions(KeynessPrior.Informative, strength, alpha, minCount);
        var counts = new Dictionary<string, (long, long)> { ["a"] = (5, 5) };
        Assert.Equal(parameter, Assert.Throws<ArgumentOutOfRangeException>(() => Keyness.TwoGroups(counts, options)).ParamName);
        Assert.Equal(parameter, Assert.Throws<ArgumentOutOfRangeException>(() => Keyness.EachVsAll(new Dictionary<string, long[]> { ["a"] = [1, 2] }, options)).ParamName);
    }

    [Fact]
    public void Bad_counts_are_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Keyness.TwoGroups(new Dictionary<string, (long, long)> { ["a"] = (-1, 5) }, new KeynessOptions()));
        Assert.Throws<ArgumentException>(() => Keyness.EachVsAll(new Dictionary<string, long[]> { ["a"] = [1, 2, 3], ["b"] = [1, 2] }, new KeynessOptions()));
        Assert.Throws<ArgumentException>(() => Keyness.EachVsAll(new Dictionary<string, long[]> { ["a"] = [1] }, new KeynessOptions()));
        Assert.Throws<ArgumentOutOfRangeException>(() => Keyness.EachVsAll(new Dictionary<string, long[]> { ["a"] = [1, -2] }, new KeynessOptions()));
    }
}
