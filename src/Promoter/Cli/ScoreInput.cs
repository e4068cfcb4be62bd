using Promoter.Core;
using Promoter.Platform.Csv;

namespace Promoter.Cli;

/// <summary>
/// Reads scores for <c>promoter nps</c>: one per line, or one column of a CSV/TSV with a header row.
/// An empty line or cell is a skipped answer and does not count (reported, not silently dropped);
/// anything else that is not an integer 0..10 is an error that names its line.
/// </summary>
public sealed class ScoreInput
{
    public const int MaxReportedErrors = 20;

    public sealed record Result(ScoreDistribution Distribution, IReadOnlyList<long> SkippedLines, IReadOnlyList<string> Errors);

    public static Result ReadLines(TextReader reader)
    {
        var distribution = new long[11];
        var skipped = new List<long>();
        var errors = new List<string>();
        long lineNumber = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (lineNumber == 1)
            {
                line = line.TrimStart('\uFEFF');
            }

            Accept(line, lineNumber, distribution, skipped, errors);
        }

        return new Result(ScoreDistribution.FromCounts(distribution), skipped, errors);
    }

    public static Result ReadColumn(TextReader reader, string column)
    {
        var (csv, headers) = OpenCsv(reader);
        var index = ColumnIndex(headers, column);
        var distribution = new long[11];
        var skipped = new List<long>();
        var errors = new List<string>();
        try
        {
            while (csv.Read())
            {
                var cell = index < csv.Fields.Count ? csv.Fields[index] : "";
                if (csv.Fields.Count == 1 && csv.Fields[0].Length == 0 && headers.Count > 1)
                {
                    continue; // a blank line between records is not a row
                }

                Accept(cell, csv.LineNumber, distribution, skipped, errors);
            }
        }
        catch (FormatException e)
        {
            throw new CliException(e.Message);
        }

        return new Result(ScoreDistribution.FromCounts(distribution), skipped, errors);
    }

    /// <summary>A CSV/TSV reader past its header row (delimiter detected), and the header.</summary>
    public static (CsvRecordReader Csv, IReadOnlyList<string> Headers) OpenCsv(TextReader reader)
    {
        var csv = new CsvRecordReader(reader);
        IReadOnlyList<string>? headers;
        try
        {
            headers = csv.ReadHeader(detectDelimiter: true);
        }
        catch (FormatException e)
        {
            throw new CliException(e.Message);
        }

        return headers is null
            ? throw new CliException("The input is empty; expected a header row naming the columns.")
            : (csv, headers);
    }

    /// <summary>The index of a column, matched case-insensitively; a clear error listing the columns if it is missing.</summary>
    public static int ColumnIndex(IReadOnlyList<string> headers, string column)
    {
        var index = headers.ToList().FindIndex(h => string.Equals(h, column, StringComparison.OrdinalIgnoreCase));
        return index >= 0 ? index : throw new CliException($"No column '{column}'. Columns: {string.Join(", ", headers)}.");
    }

    /// <summary>
    /// One score cell: a score, or null for an empty cell (a skipped answer: its line goes to <paramref name="skipped"/>)
    /// or anything that is not an integer 0..10 (an error naming the line goes to <paramref name="errors"/>).
    /// </summary>
    public static Score? ReadCell(string text, long line, List<long> skipped, List<string> errors)
    {
        var trimmed = text.AsSpan().Trim(" \t\r");
        if (trimmed.IsEmpty)
        {
            skipped.Add(line);
            return null;
        }

        if (Score.TryParse(trimmed, out var score))
        {
            return score;
        }

        errors.Add($"line {line}: {Describe(text)} is not a score; use a whole number from 0 to 10 written with the digits 0-9.");
        return null;
    }

    private static void Accept(string text, long line, long[] distribution, List<long> skipped, List<string> errors)
    {
        if (ReadCell(text, line, skipped, errors) is { } score)
        {
            distribution[score.Value]++;
        }
    }

    private static string Describe(string text)
    {
        var shown = text.Length > 40 ? text[..40] + "…" : text;
        var escaped = string.Concat(shown.Select(c => char.IsControl(c) || c == '\uFEFF' ? $"\\u{(int)c:X4}" : c.ToString()));
        return $"\"{escaped}\"";
    }
}
