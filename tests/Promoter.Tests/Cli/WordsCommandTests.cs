using System.Text;
using System.Text.Json;
using Promoter.Cli;
using Promoter.Core.Statistics;
using Promoter.Tests.Infrastructure;

namespace Promoter.Tests.Cli;

public sealed class WordsCommandTests
{
    // Six detractors complain about slow delivery, six promoters praise friendly staff; two passives in between.
    // Three times over, so the strongest terms reach significance.
    private static readonly string English = "id,comment,score\n" + string.Concat(Enumerable.Repeat(Rows, 3));

    private const string Rows = """
        1,"Slow delivery, slow slow slow!",2
        2,Slow delivery and rude support,3
        3,"The delivery was slow, never again",0
        4,Slow delivery. Rude support,5
        5,Slow delivery again,6
        6,Slow deliveries every time,4
        7,Friendly staff and great prices,9
        8,Friendly staff,10
        9,"Friendly staff, great prices",10
        10,Great prices and friendly staff,9
        11,Friendly staff as always,10
        12,Friendly staff and slow delivery,9
        13,It was fine,7
        14,Okay prices,8

        """;

    private static async Task<PromoterProcess.Result> RunAsync(string csv, params string[] args)
    {
        var path = Path.GetTempFileName();
        await File.WriteAllTextAsync(path, csv, new UTF8Encoding(false));
        try
        {
            return await PromoterProcess.RunInProcessAsync(["words", path, .. args]);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static List<JsonElement> Terms(PromoterProcess.Result result)
    {
        Assert.True(result.ExitCode == 0, result.Stderr);
        return JsonDocument.Parse(result.Stdout).RootElement.EnumerateArray().ToList();
    }

    [Fact]
    public async Task Detractor_terms_come_first_and_promoter_terms_last_with_the_engine_values()
    {
        var terms = Terms(await RunAsync(English, "--text", "comment", "--score", "score", "--language", "en", "--json"));

        Assert.Contains(terms[0].GetProperty("term").GetString(), new[] { "slow", "delivery", "slow delivery" });
        Assert.Contains(terms[^1].GetProperty("term").GetString(), new[] { "friendly", "staff", "friendly staff" });
        Assert.True(terms[^1].GetProperty("zeta").GetDouble() < 0);
        var phrase = Assert.Single(terms, t => t.GetProperty("term").GetString() == "slow delivery");
        Assert.Equal("slow deliveri", phrase.GetProperty("key").GetString());
        Assert.Equal("en", phrase.GetProperty("language").GetString());
        var counts = phrase.GetProperty("counts");
        Assert.Equal(15, counts.GetProperty("detractors").GetInt64()); // rows 1, 2, 4, 5, 6 × 3 (row 3 has "was" between)
        Assert.Equal(3, counts.GetProperty("promoters").GetInt64());
        Assert.False(counts.TryGetProperty("passives", out _));
        Assert.True(phrase.GetProperty("delta").GetDouble() > 0);
        Assert.All(terms, t => Assert.Equal(Math.Abs(t.GetProperty("zeta").GetDouble()) > 1.96, t.GetProperty("significant").GetBoolean()));

        // Same numbers as the Core engine on the file's counts, each term once per response.
        var slow = Assert.Single(terms, t => t.GetProperty("key").GetString() == "slow");
        Assert.Equal(18, slow.GetProperty("counts").GetProperty("detractors").GetInt64()); // row 1 says "slow" four times: counted once
        var zetas = terms.Select(t => t.GetProperty("zeta").GetDouble()).ToList();
        Assert.Equal(zetas.OrderByDescending(z => z), zetas);
    }

    [Fact]
    public async Task The_surface_shown_is_the_most_frequent_one()
    {
        var terms = Terms(await RunAsync(English, "--text", "comment", "--score", "score", "--language", "en", "--json", "--min-count", "1"));
        var delivery = Assert.Single(terms, t => t.GetProperty("key").GetString() == "deliveri");
        Assert.Equal("delivery", delivery.GetProperty("term").GetString()); // 7 × "delivery" for 1 × "deliveries" per copy
    }

    [Fact]
    public async Task Min_count_and_the_prior_options_reach_the_engine()
    {
        var all = Terms(await RunAsync(English, "--text", "comment", "--score", "score", "--language", "en", "--json", "--min-count", "1"));
        var five = Terms(await RunAsync(English, "--text", "comment", "--score", "score", "--language", "en", "--json"));
        Assert.True(all.Count > five.Count);
        Assert.All(five, t => Assert.True(t.GetProperty("counts").GetProperty("detractors").GetInt64() + t.GetProperty("counts").GetProperty("promoters").GetInt64() >= 5));

        var uniform = Terms(await RunAsync(English, "--text", "comment", "--score", "score", "--language", "en", "--json", "--prior", "uniform", "--alpha", "0.5"));
        var informative = Terms(await RunAsync(English, "--text", "comment", "--score", "score", "--language", "en", "--json", "--prior-strength", "3"));
        var expected = Keyness.TwoGroups(
            all.ToDictionary(t => t.GetProperty("key").GetString()!, t => (t.GetProperty("counts").GetProperty("detractors").GetInt64(), t.GetProperty("counts").GetProperty("promoters").GetInt64())),
            new KeynessOptions(KeynessPrior.Uniform, Alpha: 0.5));
        Assert.Equal(expected.Select(e => (e.Key, Math.Round(e.Zeta, 9))), uniform.Select(t => (t.GetProperty("key").GetString()!, Math.Round(t.GetProperty("zeta").GetDouble(), 9))));
        Assert.NotEqual(informative.Select(t => t.GetProperty("zeta").GetDouble()), five.Select(t => t.GetProperty("zeta").GetDouble()));
    }

    [Fact]
    public async Task Each_category_against_all_has_a_category_and_three_counts()
    {
        var terms = Terms(await RunAsync(English, "--text", "comment", "--score", "score", "--language", "en", "--compare", "each", "--json"));
        Assert.Equal(["detractors", "passives", "promoters"], terms.Select(t => t.GetProperty("category").GetString()).Distinct());
        Assert.All(terms, t => Assert.Equal(3, t.GetProperty("counts").EnumerateObject().Count()));
        var promoterTop = terms.First(t => t.GetProperty("category").GetString() == "promoters");
        Assert.Contains(promoterTop.GetProperty("term").GetString(), new[] { "friendly", "staff", "friendly staff" });
    }

    [Fact]
    public async Task Without_a_language_each_comment_is_analysed_in_its_own()
    {
        var csv = new StringBuilder("text;score\n");
        for (var i = 0; i < 5; i++)
        {
            csv.Append("บริการช้ามาก;2\n").Append("พนักงานสุภาพ;10\n").Append("Leveransen var sen;1\n").Append("Trevlig personal och snabb leverans;9\n");
        }

        var terms = Terms(await RunAsync(csv.ToString(), "--text", "TEXT", "--score", "Score", "--json"));
        Assert.Contains(terms, t => t.GetProperty("language").GetString() == "th" && t.GetProperty("term").GetString() == "บริการช้า" && t.GetProperty("key").GetString() == "บริการ ช้า");
        Assert.Contains(terms, t => t.GetProperty("language").GetString() == "sv" && t.GetProperty("term").GetString() == "leveransen");
    }

    [Fact]
    public async Task The_table_shows_surfaces_counts_and_the_significance_marker()
    {
        var result = await RunAsync(English, "--text", "comment", "--score", "score", "--language", "en");
        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Contains("Language en: 42 response(s) with a comment", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("term", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("zeta", result.Stdout, StringComparison.Ordinal);
        var line = result.Stdout.Split('\n').First(l => l.StartsWith("slow delivery ", StringComparison.Ordinal));
        Assert.EndsWith("*", line.TrimEnd(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--min-count", "-1")]
    [InlineData("--min-count", "0")]
    [InlineData("--min-count", "many")]
    [InlineData("--compare", "passives")]
    [InlineData("--prior", "jeffreys")]
    [InlineData("--prior-strength", "0")]
    [InlineData("--alpha", "-0.5")]
    [InlineData("--language", "fr")]
    public async Task A_bad_option_exits_2_naming_it(string option, string value)
    {
        var result = await RunAsync(English, "--text", "comment", "--score", "score", option, value);
        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains(option, result.Stderr, StringComparison.Ordinal);
        Assert.Equal("", result.Stdout);
    }

    [Fact]
    public async Task Missing_required_options_are_a_usage_error()
    {
        var result = await RunAsync(English, "--text", "comment");
        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains("--score", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_scores_are_reported_with_their_lines_and_nothing_is_computed()
    {
        var result = await RunAsync("comment,score\nslow,7.5\nfine,8\nrude,11\n", "--text", "comment", "--score", "score");
        Assert.Equal(ExitCodes.Failed, result.ExitCode);
        Assert.Contains("line 2:", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("line 4:", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("2 invalid line(s)", result.Stderr, StringComparison.Ordinal);
        Assert.Equal("", result.Stdout);
    }

    [Fact]
    public async Task A_missing_column_or_file_fails_with_a_clear_message()
    {
        var column = await RunAsync(English, "--text", "remark", "--score", "score");
        Assert.Equal(ExitCodes.Failed, column.ExitCode);
        Assert.Contains("No column 'remark'", column.Stderr, StringComparison.Ordinal);

        var file = await PromoterProcess.RunInProcessAsync("words", "/no/such/file.csv", "--text", "a", "--score", "b");
        Assert.Equal(ExitCodes.Failed, file.ExitCode);
        Assert.Contains("No such file", file.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Empty_scores_are_skipped_answers_named_in_a_note()
    {
        var result = await RunAsync(English + "\n15,Slow delivery,\n", "--text", "comment", "--score", "score", "--json");
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("1 empty line(s)", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Hostile_comments_give_a_sane_result()
    {
        var csv = new StringBuilder("comment,score\n");
        csv.Append('"').Append(new string('a', 5000)).Append("\",0\n");
        csv.Append('"').Append(string.Concat(Enumerable.Repeat("\u200B\u202Eslow ", 1000))).Append("\",1\n");
        csv.Append("\"https://example.com anna@example.com 12345\",10\n");
        var result = await RunAsync(csv.ToString(), "--text", "comment", "--score", "score", "--json", "--min-count", "1");
        Assert.Equal(0, result.ExitCode);
        var terms = Terms(result);
        Assert.DoesNotContain(terms, t => t.GetProperty("key").GetString()!.Contains("example", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Words_is_listed_in_help()
    {
        var help = await PromoterProcess.RunInProcessAsync("--help");
        Assert.Contains("words", help.Stdout, StringComparison.Ordinal);
        var own = await PromoterProcess.RunInProcessAsync("words", "--help");
        Assert.Equal(0, own.ExitCode);
        Assert.Contains("--min-count", own.Stdout, StringComparison.Ordinal);
    }
}
