using System.CommandLine;
using System.Text;
using System.Text.Json;
using Promoter.Core;

namespace Promoter.Cli;

internal static class NpsCommand
{
    public static Command Create()
    {
        var file = new Argument<string?>("FILE") { Description = "A file of scores, or '-' for standard input (the default).", Arity = ArgumentArity.ZeroOrOne };
        var column = new Option<string?>("--column")
        {
            Description = "Read this column of a CSV/TSV file with a header row (delimiter detected). Without it, a file whose first line is a header is read from its 'score' column.",
        };
        var counts = new Option<string?>("--counts") { Description = "Skip the file: detractors,passives,promoters." };
        var level = StatisticsOptions.Level();
        var method = StatisticsOptions.Method();
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of a table." };
        var strict = new Option<bool>("--strict") { Description = "Treat empty lines as errors instead of skipped answers." };
        var command = new Command("nps", "Compute NPS with its confidence interval from a file of 0-10 scores or from counts.")
        {
            file, column, counts, level, method, json, strict,
        };
        command.SetAction(async (result, ct) =>
        {
            var confidence = StatisticsOptions.ParseLevel(result.GetRequiredValue(level));
            var chosenMethod = StatisticsOptions.ParseMethod(result.GetRequiredValue(method));
            NpsCounts tally;
            if (result.GetValue(counts) is { } given)
            {
                if (result.GetValue(file) is not null)
                {
                    throw new CliException("Give either FILE or --counts, not both.", ExitCodes.Usage);
                }

                tally = StatisticsOptions.ParseCounts(given, "--counts");
            }
            else
            {
                tally = await ReadAsync(result, result.GetValue(file), result.GetValue(column), result.GetValue(strict), ct);
            }

            var estimate = NpsStatistics.Estimate(tally, chosenMethod, confidence);
            await result.Out().WriteLineAsync(result.GetValue(json) ? ToJson(estimate) : ToTable(estimate));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static async Task<NpsCounts> ReadAsync(ParseResult result, string? path, string? column, bool strict, CancellationToken ct)
    {
        var reader = await CliInput.OpenTextAsync(result, path, ct);
        ScoreInput.Result input;
        try
        {
            if (column is null)
            {
                (reader, column) = FindScoreColumn(reader);
                if (column is not null)
                {
                    await result.Err().WriteLineAsync($"note: read the '{column}' column (the first line is a header).");
                }
            }

            input = column is null ? ScoreInput.ReadLines(reader) : ScoreInput.ReadColumn(reader, column);
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

        ct.ThrowIfCancellationRequested();
        var errors = input.Errors.ToList();
        if (strict)
        {
            errors.InsertRange(0, input.SkippedLines.Select(l => $"line {l}: empty; every line must hold a score (0-10) in --strict mode."));
        }

        await CliInput.FailOnErrorsAsync(result, errors);
        if (input.SkippedLines.Count > 0)
        {
            await result.Err().WriteLineAsync(CliInput.SkippedNote(input.SkippedLines));
        }

        var counts = input.Distribution.ToCounts();
        return counts.N > 0 ? counts : throw new CliException("No scores found; NPS needs at least one.");
    }

    /// <summary>
    /// Without --column: a first line with a delimiter or a letter is a header (a score line has neither), and the
    /// scores are in its column named "score"; without one, the error lists the columns seen. Otherwise one score a line.
    /// The first line is read once and replayed, so standard input works too.
    /// </summary>
    private static (TextReader Reader, string? Column) FindScoreColumn(TextReader reader)
    {
        var first = reader.ReadLine();
        if (first is null)
        {
            return (reader, null);
        }

        var replay = new ReplayReader(first + "\n", reader);
        var line = first.TrimStart('\uFEFF').Trim();
        if (line.Length == 0 || !line.Any(c => char.IsLetter(c) || c is ',' or ';' or '\t' or '|'))
        {
            return (replay, null);
        }

        var headers = new Promoter.Platform.Csv.CsvRecordReader(new StringReader(line), Promoter.Platform.Csv.CsvRecordReader.DetectDelimiter(line));
        var names = headers.Read() ? headers.Fields.Select(f => f.Trim()).ToList() : [];
        var score = names.FirstOrDefault(n => string.Equals(n, "score", StringComparison.OrdinalIgnoreCase));
        if (score is null)
        {
            replay.Dispose();
            throw new CliException($"The first line looks like a header but has no column named 'score'. Columns: {string.Join(", ", names.Select(n => $"'{n}'"))}. " +
                "Name the one holding the scores with --column, or give one score per line.");
        }

        return (replay, score);
    }

    /// <summary>A line already read, then the rest of the reader.</summary>
    private sealed class ReplayReader(string head, TextReader rest) : TextReader
    {
        private int _position;

        public override int Peek() => _position < head.Length ? head[_position] : rest.Peek();

        public override int Read() => _position < head.Length ? head[_position++] : rest.Read();

        public override int Read(char[] buffer, int index, int count) => Read(buffer.AsSpan(index, count));

        public override int Read(Span<char> buffer)
        {
            if (_position >= head.Length)
            {
                return rest.Read(buffer);
            }

            var n = Math.Min(buffer.Length, head.Length - _position);
            head.AsSpan(_position, n).CopyTo(buffer);
            _position += n;
            return n;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing && rest != Console.In)
            {
                rest.Dispose();
            }

            base.Dispose(disposing);
        }
    }

    private static string ToTable(NpsEstimate e)
    {
        var c = e.Counts;
        var ci = e.Interval;
        var lines = new[]
        {
            ("Responses", c.N.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("Promoters (9-10)", $"{c.Promoters} ({c.PromoterShare:P1})"),
            ("Passives (7-8)", $"{c.Passives} ({c.PassiveShare:P1})"),
            ("Detractors (0-6)", $"{c.Detractors} ({c.DetractorShare:P1})"),
            ("NPS", StatisticsOptions.Points(e.Nps)),
            ($"{StatisticsOptions.Percent(ci.Level)}% CI ({ConfidenceMethods.ToWireName(ci.Method)})", $"{StatisticsOptions.Points(ci.Low)} to {StatisticsOptions.Points(ci.High)}"),
            ("Margin of error", "±" + StatisticsOptions.Points(e.MarginOfError)),
            ("Standard error", StatisticsOptions.Points(e.StandardError)),
        };
        var width = lines.Max(l => l.Item1.Length);
        var text = string.Join(Environment.NewLine, lines.Select(l => l.Item1.PadRight(width + 2) + l.Item2));
        return e.LowConfidence ? text + Environment.NewLine + "Low confidence: fewer than 30 responses." : text;
    }

    private static string ToJson(NpsEstimate e) => JsonSerializer.Serialize(new
    {
        n = e.N,
        detractors = e.Counts.Detractors,
        passives = e.Counts.Passives,
        promoters = e.Counts.Promoters,
        nps = e.Nps,
        variance = e.Variance,
        standardError = e.StandardError,
        marginOfError = e.MarginOfError,
        lowConfidence = e.LowConfidence,
        ci = new { method = ConfidenceMethods.ToWireName(e.Interval.Method), level = e.Interval.Level * 100, low = e.Interval.Low, high = e.Interval.High },
    });
}
