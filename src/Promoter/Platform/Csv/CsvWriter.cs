namespace Promoter.Platform.Csv;

/// <summary>
/// Writes RFC 4180 CSV: fields with a delimiter, quote or line break are quoted, quotes doubled, lines end in CRLF.
/// Text that a spreadsheet would run as a formula gets a leading apostrophe (<see cref="SpreadsheetSafe"/>), so a file
/// written from untrusted text is safe to open in Excel or LibreOffice; numbers are written as numbers.
/// </summary>
public sealed class CsvWriter(TextWriter writer)
{
    private bool _lineStarted;

    /// <summary>A text field, made spreadsheet-safe.</summary>
    public void Write(string? value) => Raw(SpreadsheetSafe.Text(value));

    public void Field(string? value) => Write(value);

    public void Number(long value) => Raw(value.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>A field written as given (headers, ids, timestamps) — still quoted when needed.</summary>
    public void Raw(string value)
    {
        if (_lineStarted)
        {
            writer.Write(',');
        }

        _lineStarted = true;
        if (value.AsSpan().IndexOfAny(",\"\r\n") < 0)
        {
            writer.Write(value);
            return;
        }

        writer.Write('"');
        writer.Write(value.Replace("\"", "\"\"", StringComparison.Ordinal));
        writer.Write('"');
    }

    public void EndLine()
    {
        writer.Write("\r\n");
        _lineStarted = false;
    }

    public void EndRecord() => EndLine();

    public void WriteLine(params ReadOnlySpan<string?> values)
    {
        foreach (var value in values)
        {
            Write(value);
        }

        EndLine();
    }
}
