using System.CommandLine;
using System.Text;

namespace Promoter.Cli;

/// <summary>Input plumbing shared by the file-reading verbs (<c>nps</c>, <c>words</c>).</summary>
internal static class CliInput
{
    /// <summary>Standard input for null or "-", else the file as strict UTF-8 (a BOM is honoured).</summary>
    public static TextReader OpenText(string? path)
    {
        if (path is null or "-")
        {
            return Console.In;
        }

        if (!File.Exists(path))
        {
            throw new CliException($"No such file: {path}");
        }

        return new StreamReader(path, new UTF8Encoding(false, throwOnInvalidBytes: true), detectEncodingFromByteOrderMarks: true);
    }

    /// <summary>Prints the first <see cref="ScoreInput.MaxReportedErrors"/> errors and fails when there are any.</summary>
    public static async Task FailOnErrorsAsync(ParseResult result, IReadOnlyList<string> errors)
    {
        if (errors.Count == 0)
        {
            return;
        }

        foreach (var error in errors.Take(ScoreInput.MaxReportedErrors))
        {
            await result.Err().WriteLineAsync("error: " + error);
        }

        if (errors.Count > ScoreInput.MaxReportedErrors)
        {
            await result.Err().WriteLineAsync($"… and {errors.Count - ScoreInput.MaxReportedErrors} more.");
        }

        throw new CliException($"{errors.Count} invalid line(s); nothing was computed.");
    }

    /// <summary>The note that empty score cells were skipped answers, naming the first lines.</summary>
    public static string SkippedNote(IReadOnlyList<long> skipped)
    {
        var shown = string.Join(", ", skipped.Take(10));
        return $"note: {skipped.Count} empty line(s) treated as skipped answers, which do not count (line {shown}{(skipped.Count > 10 ? ", …" : "")}).";
    }
}
