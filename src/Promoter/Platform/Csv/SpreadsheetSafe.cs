namespace Promoter.Platform.Csv;

/// <summary>
/// Text that starts like a formula (<c>= + - @</c>, tab, carriage return) is evaluated by spreadsheets even inside
/// CSV quotes; a leading apostrophe makes it plain text. Numbers are written as numbers and never touched.
/// </summary>
public static class SpreadsheetSafe
{
    public static string Text(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "";
        }

        var first = value.TrimStart(' ');
        return first.Length > 0 && first[0] is '=' or '+' or '-' or '@' or '\t' or '\r' or '\0' ? "'" + value : value;
    }
}
