using System.Text.Json;
using Promoter.Cli;
using Promoter.Tests.Infrastructure;

namespace Promoter.Tests.Cli;

public sealed class CompareCommandTests
{
    private const double Tolerance = 1e-4;

    public static TheoryData<int> ReferenceRows()
    {
        var data = new TheoryData<int>();
        var count = ReferenceTables.Read("compare_reference.csv").Count();
        for (var i = 0; i < count; i++)
        {
            data.Add(i);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ReferenceRows))]
    public async Task Compare_matches_the_independent_reference(int index)
    {
        var row = ReferenceTables.Read("compare_reference.csv").ElementAt(index);
        var a = $"{row["a_detractors"]},{row["a_passives"]},{row["a_promoters"]}";
        var b = $"{row["b_detractors"]},{row["b_passives"]},{row["b_promoters"]}";
        var args = new List<string> { "compare", "--a", a, "--b", b, "--level", row.Percent(), "--json" };
        if (row["kind"] == "paired")
        {
            args.AddRange(["--paired-table", row["paired_table"].Replace(' ', ',')]);
        }
        else if (row["adjusted"] == "true")
        {
            args.Add("--adjusted");
        }

        var result = await PromoterProcess.RunInProcessAsync([.. args]);
        Assert.True(result.ExitCode == 0, result.Stderr);
        var json = JsonDocument.Parse(result.Stdout).RootElement;
        Assert.Equal(row.Number("difference"), json.GetProperty("difference").GetDouble(), Tolerance);
        Assert.Equal(row.Number("se"), json.GetProperty("standardError").GetDouble(), Tolerance);
        Assert.Equal(row.Number("p"), json.GetProperty("p").GetDouble(), Tolerance);
        Assert.Equal(row.Number("low"), json.GetProperty("ci").GetProperty("low").GetDouble(), Tolerance);
        Assert.Equal(row.Number("high"), json.GetProperty("ci").GetProperty("high").GetDouble(), Tolerance);
        var z = json.GetProperty("z");
        if (double.IsFinite(row.Number("z")))
        {
            Assert.Equal(row.Number("z"), z.GetDouble(), Tolerance);
        }
        else
        {
            Assert.Equal(JsonValueKind.Null, z.ValueKind);
        }
    }

    [Fact]
    public async Task The_difference_keeps_its_sign()
    {
        var up = JsonDocument.Parse((await PromoterProcess.RunInProcessAsync("compare", "--a", "50,20,30", "--b", "30,20,50", "--json")).Stdout).RootElement;
        var down = JsonDocument.Parse((await PromoterProcess.RunInProcessAsync("compare", "--a", "30,20,50", "--b", "50,20,30", "--json")).Stdout).RootElement;
        Assert.Equal(40, up.GetProperty("difference").GetDouble(), 1e-9);
        Assert.Equal(-40, down.GetProperty("difference").GetDouble(), 1e-9);
        Assert.True(up.GetProperty("z").GetDouble() > 0);
        Assert.True(down.GetProperty("z").GetDouble() < 0);
    }

    [Theory]
    [InlineData("--a", "1,2", "--b", "1,2,3")]
    [InlineData("--a", "1,2,3", "--b", "x,2,3")]
    [InlineData("--paired-table", "1,2,3", "--level", "95")]
    [InlineData("--a", "1,2,3", "--level", "100")]
    public async Task Malformed_counts_are_usage_errors(string o1, string v1, string o2, string v2)
    {
        var result = await PromoterProcess.RunInProcessAsync("compare", o1, v1, o2, v2);
        Assert.Equal(ExitCodes.Usage, result.ExitCode);
    }

    [Fact]
    public async Task A_paired_table_that_contradicts_the_given_margins_is_refused()
    {
        var result = await PromoterProcess.RunInProcessAsync("compare", "--a", "1,1,1", "--paired-table", "10,5,2,4,20,6,1,3,30");
        Assert.Equal(ExitCodes.Failed, result.ExitCode);
        Assert.Contains("does not match", result.Stderr, StringComparison.Ordinal);
    }
}
