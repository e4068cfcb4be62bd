using System.Text;

namespace Promoter.Metrics.Export;

/// <summary>RFC 4180 output: CRLF records, fields quoted when they hold a comma, quote or line break, quotes doubled.</summary>
public sealed class CsvWriter(TextWriter writer)
{
    private bool _firstField = true;

    public void Field(string? text) => Write(SpreadsheetSafe.Text(text));

    public void Number(long value) => Write(value.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public void Raw(string value) => Write(value);

    public void EndRecord()
    {
        writer.Write("\r\n");
        _firstField = true;
    }

    private void Write(string value)
    {
        if (!_firstField)
        {
            writer.Write(',');
        }

        _firstField = false;
        if (value.AsSpan().IndexOfAny(",\"\r\n") < 0)
        {
            writer.Write(value);
            return;
        }

        var quoted = new StringBuilder(value.Length + 2).Append('"');
        foreach (var c in value)
        {
            quoted.Append(c == '"' ? "\"\"" : c.ToString());
        }

        writer.Write(quoted.Append('"'));
    }
}
