using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Promoter.Core;
using Promoter.Core.Statistics;
using Promoter.Core.Text;

namespace Promoter.Cli;

/// <summary>
/// <c>promoter words</c>: the words and phrases that separate detractors from promoters in a CSV of comments, with the
/// same pipeline (<see cref="TextAnalyzer"/>) and statistics (<see cref="Keyness"/>) as the server. Each language is
/// analysed on its own; a term counts once per response.
/// </summary>
internal static class WordsCommand
{
    private const string CompareTwo = "detractors-promoters";
    private const string CompareEach = "each";
    private static readonly string[] CategoryNames = ["detractors", "passives", "promoters"];

    private static readonly JsonSerializerOptions Json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static Command Create()
    {
        var file = new Argument<string>("FILE") { Description = "A CSV/TSV file with a header row (delimiter detected), or '-' for standard input." };
        var text = new Option<string>("--text") { Description = "The column holding the comment.", Required = true };
        var score = new Option<string>("--score") { Description = "The column holding the 0-10 score.", Required = true };
        var language = new Option<string?>("--language") { Description = "Analyse every comment as en, sv, mk, ar or th (default: detected per comment from its script)." };
        var compare = new Option<string>("--compare") { Description = "detractors-promoters (default) or each (detractors, passives and promoters each against all).", DefaultValueFactory = _ => CompareTwo };
        var prior = new Option<string>("--prior") { Description = "Dirichlet prior of detractors-promoters: informative (default) or uniform.", DefaultValueFactory = _ => "informative" };
        var strength = new Option<string>("--prior-strength") { Description = "Total pseudo-count A of the informative prior (> 0).", DefaultValueFactory = _ => "10" };
        var alpha = new Option<string>("--alpha") { Description = "Per-term pseudo-count of the uniform prior (> 0).", DefaultValueFactory = _ => "0.01" };
        var minCount = new Option<string>("--min-count") { Description = "Show only terms used in at least this many comments (>= 1).", DefaultValueFactory = _ => "5" };
        var json = new Option<bool>("--json") { Description = "Print a JSON array of term objects (as the HTTP API) instead of a table." };
        var command = new Command("words", "The words and phrases that separate detractors from promoters (weighted log-odds, Monroe et al. 2008).")
        {
            file, text, score, language, compare, prior, strength, alpha, minCount, json,
        };
        command.SetAction(async (result, ct) =>
        {
            var chosenLanguage = ParseLanguage(result.GetValue(language));
            var each = ParseCompare(result.GetRequiredValue(compare));
            var options = new KeynessOptions(
                ParsePrior(result.GetRequiredValue(prior)),
                ParsePositive(result.GetRequiredValue(strength), "--prior-strength"),
                ParsePositive(result.GetRequiredValue(alpha), "--alpha"),
                ParseMinCount(result.GetRequiredValue(minCount)));
            var tally = await ReadAsync(result, result.GetRequiredValue(file), result.GetRequiredValue(text), result.GetRequiredValue(score), chosenLanguage, ct);
            var rows = Analyse(tally, each, options);
            var output = result.GetValue(json) ? JsonSerializer.Serialize(rows.Select(r => r.ToJson(each)), Json) : ToTable(tally, rows, each, options);
            await result.Out().WriteLineAsync(output);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static string? ParseLanguage(string? text) =>
        text is null ? null
        : TextLanguages.IsSupported(text) ? text
        : throw new CliException($"--language must be one of {string.Join(", ", TextLanguages.Supported)} (got '{text}').", ExitCodes.Usage);

    private static bool ParseCompare(string text) => text switch
    {
        CompareTwo => false,
        CompareEach => true,
        _ => throw new CliException($"--compare must be {CompareTwo} or {CompareEach} (got '{text}').", ExitCodes.Usage),
    };

    private static KeynessPrior ParsePrior(string text) => text switch
    {
        "informative" => KeynessPrior.Informative,
        "uniform" => KeynessPrior.Uniform,
        _ => throw new CliException($"--prior must be informative or uniform (got '{text}').", ExitCodes.Usage),
    };

    private static double ParsePositive(string text, string option) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value > 0 && double.IsFinite(value)
            ? value
            : throw new CliException($"{option} must be a number greater than 0 (got '{text}').", ExitCodes.Usage);

    private static long ParseMinCount(string text) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= 1
            ? value
            : throw new CliException($"--min-count must be a whole number of at least 1 (got '{text}').", ExitCodes.Usage);

    private static async Task<Tally> ReadAsync(ParseResult result, string path, string textColumn, string scoreColumn, string? language, CancellationToken ct)
    {
        var reader = await CliInput.OpenTextAsync(result, path, ct);
        var tally = new Tally();
        var skipped = new List<long>();
        var errors = new List<string>();
        try
        {
            var (csv, headers) = ScoreInput.OpenCsv(reader);
            var textIndex = ScoreInput.ColumnIndex(headers, textColumn);
            var scoreIndex = ScoreInput.ColumnIndex(headers, scoreColumn);
            while (csv.Read())
            {
                ct.ThrowIfCancellationRequested();
                var fields = csv.Fields;
                if (fields.Count == 1 && fields[0].Length == 0 && headers.Count > 1)
                {
                    continue; // a blank line between records is not a row
                }

                var cell = scoreIndex < fields.Count ? fields[scoreIndex] : "";
                if (ScoreInput.ReadCell(cell, csv.LineNumber, skipped, errors) is not { } answer || errors.Count > 0)
                {
                    continue; // after the first error only the remaining errors matter
                }

                tally.Add(answer.Category, textIndex < fields.Count ? fields[textIndex] : "", language);
            }
        }
        catch (FormatException e)
        {
            throw new CliException(e.Message);
        }
        catch (DecoderFallbackException)
        {
            throw new CliException("The input is not valid UTF-8 text.");
        }
        finally
        {
            if (reader != Console.In)
            {
                reader.Dispose();
            }
        }

        await CliInput.FailOnErrorsAsync(result, errors);
        if (skipped.Count > 0)
        {
            await result.Err().WriteLineAsync(CliInput.SkippedNote(skipped));
        }

        return tally.Responses > 0 ? tally : throw new CliException("No scores found; keyness needs responses with a score.");
    }

    private static List<Row> Analyse(Tally tally, bool each, KeynessOptions options)
    {
        var rows = new List<Row>();
        foreach (var language in tally.Languages)
        {
            var terms = tally.Terms.Where(t => t.Key.Language == language).ToList();
            if (each)
            {
                var counts = terms.ToDictionary(t => t.Key.Key, t => t.Value.Counts);
                rows.AddRange(Keyness.EachVsAll(counts, options).Select(k =>
                    new Row(language, k.Key, tally.Terms[(language, k.Key)], k.Category, k.Delta, k.Sigma, k.Zeta, k.Significant)));
            }
            else
            {
                var counts = terms.Where(t => t.Value.Counts[0] + t.Value.Counts[2] > 0)
                    .ToDictionary(t => t.Key.Key, t => (t.Value.Counts[0], t.Value.Counts[2]));
                rows.AddRange(Keyness.TwoGroups(counts, options).Select(k =>
                    new Row(language, k.Key, tally.Terms[(language, k.Key)], null, k.Delta, k.Sigma, k.Zeta, k.Significant)));
            }
        }

        return rows;
    }

    private static string ToTable(Tally tally, List<Row> rows, bool each, KeynessOptions options)
    {
        var text = new StringBuilder();
        foreach (var language in tally.Languages)
        {
            var mine = rows.Where(r => r.Language == language).ToList();
            if (text.Length > 0)
            {
                text.AppendLine();
            }

            text.AppendLine(CultureInfo.InvariantCulture, $"Language {language}: {tally.ResponsesIn(language)} response(s) with a comment");
            if (mine.Count == 0)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"No term is used in at least {options.MinCount} comment(s) of the groups compared.");
                continue;
            }

            var header = each
                ? new[] { "term", "category", "detractors", "passives", "promoters", "delta", "sigma", "zeta", "" }
                : ["term", "detractors", "promoters", "delta", "sigma", "zeta", ""];
            var lines = mine.Select(r =>
            {
                var numbers = new[] { Number(r.Delta), Number(r.Sigma), Number(r.Zeta), r.Significant ? "*" : "" };
                var counts = r.Tally.Counts;
                return each
                    ? new[] { r.Tally.Surface, CategoryNames[r.Category!.Value], Count(counts[0]), Count(counts[1]), Count(counts[2]) }.Concat(numbers).ToArray()
                    : new[] { r.Tally.Surface, Count(counts[0]), Count(counts[2]) }.Concat(numbers).ToArray();
            }).Prepend(header).ToList();
            var widths = Enumerable.Range(0, header.Length).Select(c => lines.Max(l => l[c].Length)).ToArray();
            var textColumns = each ? 2 : 1;
            foreach (var line in lines)
            {
                text.AppendLine(string.Join("  ", line.Select((cell, c) => c < textColumns ? cell.PadRight(widths[c]) : cell.PadLeft(widths[c]))).TrimEnd());
            }
        }

        text.Append(each
            ? "delta > 0: more typical of the category than of all comments; * = |zeta| > 1.96."
            : "delta > 0: more typical of detractors, < 0: of promoters; * = |zeta| > 1.96.");
        return text.ToString();

        static string Number(double value) => value.ToString("0.000", CultureInfo.InvariantCulture);
        static string Count(long value) => value.ToString(CultureInfo.InvariantCulture);
    }

    private sealed record Row(string Language, string Key, TermTally Tally, int? Category, double Delta, double Sigma, double Zeta, bool Significant)
    {
        public Dictionary<string, object> ToJson(bool each)
        {
            var counts = each
                ? new Dictionary<string, long> { ["detractors"] = Tally.Counts[0], ["passives"] = Tally.Counts[1], ["promoters"] = Tally.Counts[2] }
                : new Dictionary<string, long> { ["detractors"] = Tally.Counts[0], ["promoters"] = Tally.Counts[2] };
            var json = new Dictionary<string, object>
            {
                ["term"] = Tally.Surface,
                ["key"] = Key,
                ["language"] = Language,
                ["counts"] = counts,
                ["delta"] = Delta,
                ["sigma"] = Sigma,
                ["zeta"] = Zeta,
                ["significant"] = Significant,
            };
            if (Category is { } category)
            {
                json["category"] = CategoryNames[category];
            }

            return json;
        }
    }

    /// <summary>Per (language, key): responses per category and how often each surface form was written.</summary>
    private sealed class TermTally
    {
        private readonly Dictionary<string, long> _surfaces = new(StringComparer.Ordinal);

        public long[] Counts { get; } = new long[3];

        /// <summary>The most frequent surface form (ties: the ordinally first, so output is deterministic).</summary>
        public string Surface => _surfaces.OrderByDescending(s => s.Value).ThenBy(s => s.Key, StringComparer.Ordinal).First().Key;

        public void Add(NpsCategory category, string surface)
        {
            Counts[(int)category]++;
            _surfaces[surface] = _surfaces.GetValueOrDefault(surface) + 1;
        }
    }

    private sealed class Tally
    {
        private readonly Dictionary<string, long> _commented = new(StringComparer.Ordinal);

        public Dictionary<(string Language, string Key), TermTally> Terms { get; } = [];

        public long Responses { get; private set; }

        /// <summary>Languages with comments, most comments first.</summary>
        public IEnumerable<string> Languages => _commented.OrderByDescending(l => l.Value).ThenBy(l => l.Key, StringComparer.Ordinal).Select(l => l.Key);

        public long ResponsesIn(string language) => _commented.GetValueOrDefault(language);

        public void Add(NpsCategory category, string comment, string? language)
        {
            Responses++;
            if (string.IsNullOrWhiteSpace(comment))
            {
                return;
            }

            var chosen = language ?? TextLanguages.Resolve(null, comment);
            _commented[chosen] = _commented.GetValueOrDefault(chosen) + 1;
            foreach (var term in TextAnalyzer.Shared.Terms(comment, chosen))
            {
                if (!Terms.TryGetValue((chosen, term.Key), out var tally))
                {
                    Terms[(chosen, term.Key)] = tally = new TermTally();
                }

                tally.Add(category, term.Surface);
            }
        }
    }
}
