using System.Globalization;
using System.Text;
using System.Text.Json;
using Promoter.Cli;
using Promoter.Tests.Infrastructure;

namespace Promoter.Tests.Cli;

public sealed class NpsCommandTests
{
    private const double Tolerance = 1e-4;

    public static TheoryData<string, string, string, string, string> ReferenceRows()
    {
        var data = new TheoryData<string, string, string, string, string>();
        foreach (var row in ReferenceTables.Read("nps_reference.csv"))
        {
            data.Add(row["detractors"], row["passives"], row["promoters"], row["method"], row.Percent());
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ReferenceRows))]
    public async Task Nps_from_a_score_file_matches_the_independent_reference(string d, string m, string p, string method, string level)
    {
        var row = ReferenceTables.Read("nps_reference.csv").Single(r =>
            r["detractors"] == d && r["passives"] == m && r["promoters"] == p && r["method"] == method && r.Percent() == level);
        // Scores spread over every value of each category, shuffled, so the file path exercises the category mapping.
        var scores = Enumerable.Repeat(new[] { 0, 3, 6, 5, 1, 2, 4 }, int.Parse(d, CultureInfo.InvariantCulture)).SelectMany((s, i) => new[] { s[i % s.Length] })
            .Concat(Enumerable.Range(0, int.Parse(m, CultureInfo.InvariantCulture)).Select(i => 7 + (i % 2)))
            .Concat(Enumerable.Range(0, int.Parse(p, CultureInfo.InvariantCulture)).Select(i => 9 + (i % 2)))
            .OrderBy(s => (s * 7919) % 13).ToList();
        var file = Path.GetTempFileName();
        await File.WriteAllLinesAsync(file, scores.Select(s => s.ToString(CultureInfo.InvariantCulture)));
        try
        {
            var fromFile = await PromoterProcess.RunInProcessAsync("nps", file, "--method", method, "--level", level, "--json");
            var fromCounts = await PromoterProcess.RunInProcessAsync("nps", "--counts", $"{d},{m},{p}", "--method", method, "--level", level, "--json");
            foreach (var result in new[] { fromFile, fromCounts })
            {
                Assert.True(result.ExitCode == 0, result.Stderr);
                var json = JsonDocument.Parse(result.Stdout).RootElement;
                Assert.Equal(scores.Count, json.GetProperty("n").GetInt64());
                Assert.Equal(row.Number("nps"), json.GetProperty("nps").GetDouble(), Tolerance);
                Assert.Equal(row.Number("se"), json.GetProperty("standardError").GetDouble(), Tolerance);
                var ci = json.GetProperty("ci");
                Assert.Equal(method, ci.GetProperty("method").GetString());
                Assert.Equal(row.Number("level") * 100, ci.GetProperty("level").GetDouble(), 1e-9);
                Assert.Equal(row.Number("low"), ci.GetProperty("low").GetDouble(), Tolerance);
                Assert.Equal(row.Number("high"), ci.GetProperty("high").GetDouble(), Tolerance);
            }
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Theory]
    [InlineData("7.5", 2)]
    [InlineData("11", 2)]
    [InlineData("-1", 2)]
    [InlineData("٧", 2)]
    [InlineData("+7", 2)]
    [InlineData("07", 2)]
    [InlineData("7,0", 2)]
    [InlineData("ten", 2)]
    [InlineData("\u00A07", 2)]
    public async Task A_bad_score_is_rejected_with_its_line_number_and_nothing_is_computed(string bad, int line)
    {
        var result = await RunWithFileAsync($"9\n{bad}\n10\n");
        Assert.Equal(ExitCodes.Failed, result.ExitCode);
        Assert.Contains($"line {line}:", result.Stderr, StringComparison.Ordinal);
        Assert.Contains(bad.Trim('\u00A0'), result.Stderr, StringComparison.Ordinal);
        Assert.Equal("", result.Stdout);
    }

    [Fact]
    public async Task Every_bad_line_is_reported_not_just_the_first()
    {
        var result = await RunWithFileAsync("9\n7.5\n10\n11\n-1\n");
        Assert.Equal(ExitCodes.Failed, result.ExitCode);
        Assert.Contains("line 2:", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("line 4:", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("line 5:", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("3 invalid line(s)", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_utf8_bom_is_not_mistaken_for_part_of_the_first_score()
    {
        var path = Path.GetTempFileName();
        await File.WriteAllTextAsync(path, "10\n9\n0\n", new UTF8Encoding(encoderShouldEmitUTF8Identifier: true));
        try
        {
            var result = await PromoterProcess.RunInProcessAsync("nps", path, "--json");
            Assert.True(result.ExitCode == 0, result.Stderr);
            var json = JsonDocument.Parse(result.Stdout).RootElement;
            Assert.Equal(3, json.GetProperty("n").GetInt64());
            Assert.Equal(100.0 / 3, json.GetProperty("nps").GetDouble(), 1e-9);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task Empty_lines_are_skipped_answers_named_in_a_note_and_do_not_count()
    {
        var result = await RunWithFileAsync("10\n\n9\n  \n6\n", "--json");
        Assert.Equal(0, result.ExitCode);
        Assert.Equal(3, JsonDocument.Parse(result.Stdout).RootElement.GetProperty("n").GetInt64());
        Assert.Contains("2 empty line(s)", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("line 2, 4", result.Stderr, StringComparison.Ordinal);

        var strict = await RunWithFileAsync("10\n\n9\n", "--strict");
        Assert.Equal(ExitCodes.Failed, strict.ExitCode);
        Assert.Contains("line 2: empty", strict.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_csv_column_is_read_with_quoted_fields_and_empty_cells_as_skipped()
    {
        var csv = "id,comment,score\n1,\"great, really\",10\n2,\"multi\nline\",\n3,meh,7\n4,\"said \"\"no\"\"\",2\n";
        var result = await RunWithFileAsync(csv, "--column", "Score", "--json");
        Assert.True(result.ExitCode == 0, result.Stderr);
        var json = JsonDocument.Parse(result.Stdout).RootElement;
        Assert.Equal(3, json.GetProperty("n").GetInt64());
        Assert.Equal(1, json.GetProperty("promoters").GetInt64());
        Assert.Equal(1, json.GetProperty("passives").GetInt64());
        Assert.Equal(1, json.GetProperty("detractors").GetInt64());
        Assert.Contains("line 3", result.Stderr, StringComparison.Ordinal);

        var tsv = await RunWithFileAsync("name\tscore\nA\t9\nB\t11\n", "--column", "score");
        Assert.Equal(ExitCodes.Failed, tsv.ExitCode);
        Assert.Contains("line 3:", tsv.Stderr, StringComparison.Ordinal);

        var missing = await RunWithFileAsync("a,b\n1,2\n", "--column", "score");
        Assert.Equal(ExitCodes.Failed, missing.ExitCode);
        Assert.Contains("No column 'score'", missing.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--level", "120")]
    [InlineData("--level", "abc")]
    [InlineData("--method", "bootstrap")]
    [InlineData("--counts", "1,2")]
    [InlineData("--counts", "1,-2,3")]
    [InlineData("--no-such-option", "x")]
    public async Task Bad_options_are_usage_errors_with_exit_code_2(string option, string value)
    {
        var result = await PromoterProcess.RunInProcessAsync("nps", "--counts", "1,2,3", option, value);
        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.NotEqual("", result.Stderr.Trim());
    }

    [Fact]
    public async Task The_real_executable_reads_standard_input_and_prints_a_table()
    {
        var result = await PromoterProcess.RunAsync(["nps", "-"], stdin: "10\n9\n8\n7\n6\n0\n");
        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Contains("NPS", result.Stdout, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^NPS\s+0\.0\s*$", result.Stdout);
        Assert.Contains("Low confidence", result.Stdout, StringComparison.Ordinal);
        var help = await PromoterProcess.RunAsync(["nps", "--help"]);
        Assert.Equal(0, help.ExitCode);
        Assert.Contains("--column", help.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_table_shows_nps_on_the_minus_100_to_100_scale_with_one_decimal_like_the_dashboard()
    {
        var result = await PromoterProcess.RunInProcessAsync("nps", "--counts", "1,0,2");
        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Matches(@"(?m)^NPS\s+33\.3\s*$", result.Stdout);
        Assert.DoesNotContain("33.3333", result.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("0.3333", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_column_a_csv_is_read_from_its_column_named_score()
    {
        var result = await RunWithFileAsync("id,Score,comment\n1,10,great\n2,9,\"fine, really\"\n3,2,bad\n", "--json");
        Assert.True(result.ExitCode == 0, result.Stderr);
        var json = JsonDocument.Parse(result.Stdout).RootElement;
        Assert.Equal(3, json.GetProperty("n").GetInt64());
        Assert.Equal(2, json.GetProperty("promoters").GetInt64());
        Assert.Contains("'Score'", result.Stderr, StringComparison.Ordinal);

        var piped = await PromoterProcess.RunAsync(["nps", "-", "--json"], stdin: "name;score\nA;10\nB;0\n");
        Assert.True(piped.ExitCode == 0, piped.Stderr);
        Assert.Equal(2, JsonDocument.Parse(piped.Stdout).RootElement.GetProperty("n").GetInt64());
    }

    [Fact]
    public async Task Without_column_a_csv_without_a_score_column_is_refused_naming_the_columns_it_saw()
    {
        var result = await RunWithFileAsync("id,rating,comment\n1,10,great\n");
        Assert.Equal(ExitCodes.Failed, result.ExitCode);
        Assert.Contains("'id', 'rating', 'comment'", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("--column", result.Stderr, StringComparison.Ordinal);
        Assert.Equal("", result.Stdout);
    }

    [Theory]
    [InlineData("utf-16")]
    [InlineData("windows-1252")]
    public async Task Files_saved_by_excel_on_windows_are_read_as_imports_read_them(string encoding)
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        var text = "namn,score,kommentar\nÅsa,10,Bäst\nPär,9,Bra\nJörg,3,Dålig\n";
        var bytes = encoding == "utf-16" ? [.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes(text)] : Encoding.GetEncoding(1252).GetBytes(text);
        var path = Path.GetTempFileName();
        await File.WriteAllBytesAsync(path, bytes);
        try
        {
            var result = await PromoterProcess.RunInProcessAsync("nps", path, "--json");
            Assert.True(result.ExitCode == 0, result.Stderr);
            var json = JsonDocument.Parse(result.Stdout).RootElement;
            Assert.Equal(3, json.GetProperty("n").GetInt64());
            Assert.Equal(1, json.GetProperty("detractors").GetInt64());
            if (encoding == "windows-1252")
            {
                Assert.Contains("Windows-1252", result.Stderr, StringComparison.Ordinal);
            }
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static async Task<PromoterProcess.Result> RunWithFileAsync(string content, params string[] extra)
    {
        var path = Path.GetTempFileName();
        await File.WriteAllTextAsync(path, content, new UTF8Encoding(false));
        try
        {
            return await PromoterProcess.RunInProcessAsync(["nps", path, .. extra]);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
