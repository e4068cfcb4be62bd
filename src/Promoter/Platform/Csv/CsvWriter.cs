namespace Promoter.Platform.Csv;

/// <summary>
/// Writes RFC 4180 CSV: fields with a delimiter, quote or line break are quoted, quotes doubled, lines end in CRLF.
/// Cells that a spreadsheet would run as a formula (starting with =, +, -, @, tab or carriage return) get a leading
/// apostrophe, so a file written from untrusted text is safe to open in Excel or LibreOffice (OWASP CSV injection).
/// </summary>
public sealed class CsvWriter(TextWriter writer)
{
    private bool _lineStarted;

    public void Write(string? value)
    {
        if (_lineStarted)
        {
            writer.Write(',');
        }

        _lineStarted = true;
        if (string.IsNullOrEmpty(value))
        {
            return;
        }

        var safe = value[0] is '=' or '+' or '-' or '@' or '\t' or '\r' ? "'" + value : value;
        if (safe.AsSpan().IndexOfAny(",\"\r\n") < 0)
        {
            writer.Write(safe);
            return;
        }

        writer.Write('"');
        writer.Write(safe.Replace("\"", "\"\"", StringComparison.Ordinal));
        writer.Write('"');
    }

    public void EndLine()
    {
        writer.Write("\r\n");
        _lineStarted = false;
    }

    public void WriteLine(params ReadOnlySpan<string?> values)
    {
        foreach (var value in values)
        {
            Write(value);
        }

        EndLine();
    }
}
