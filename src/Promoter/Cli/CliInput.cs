using System.CommandLine;
using Promoter.Platform.Csv;

namespace Promoter.Cli;

/// <summary>Input plumbing shared by the file-reading verbs (<c>nps</c>, <c>words</c>).</summary>
internal static class CliInput
{
    /// <summary>
    /// Standard input for null or "-", else the file with the encoding the imports detect (<see cref="CsvText"/>): a
    /// byte-order mark (UTF-8, UTF-16), else UTF-8, else Windows-1252 as Excel on Windows saves CSV, which a note on
    /// standard error then says. A workbook, image or PDF is refused with what it looks like.
    /// </summary>
    public static async Task<TextReader> OpenTextAsync(ParseResult result, string? path, CancellationToken ct)
    {
        if (path is null or "-")
        {
            return Console.In;
        }

        if (!File.Exists(path))
        {
            throw new CliException($"No such file: {path}");
        }

        var stream = File.OpenRead(path);
        try
        {
            var text = await CsvText.OpenAsync(stream, ct, leaveOpen: false);
            if (text.Note is { } note)
            {
                await result.Err().WriteLineAsync("note: " + note);
            }

            return text.Reader;
        }
        catch (FormatException e)
        {
            await stream.DisposeAsync();
            throw new CliException(e.Message);
        }
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
