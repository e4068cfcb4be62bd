using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Xml;

namespace Promoter.Platform.Csv;

/// <summary>
/// Reads the first worksheet of an Excel workbook (XLSX: a ZIP of SpreadsheetML parts) as CSV text, so every import
/// takes workbooks through the same CSV path (<see cref="CsvText"/>). Only what a data sheet holds is read: shared,
/// inline and formula strings, numbers, booleans, and numbers formatted as dates or times, which become ISO 8601 times
/// with the offset of the given zone at that time ("2025-01-02T09:30:00+01:00"; Excel stores no zone). Formulas give
/// their cached value. Built on
/// System.IO.Compression and XmlReader; no spreadsheet library.
/// </summary>
public static class XlsxSheet
{
    private const string Main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
    private const string Relationships = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

    /// <summary>The first sheet's name and its rows as CSV; null when the archive is not a workbook.</summary>
    public static (string Name, string Csv)? TryRead(Stream zip, TimeZoneInfo zone)
    {
        ZipArchive archive;
        try
        {
            archive = new ZipArchive(zip, ZipArchiveMode.Read, leaveOpen: true);
        }
        catch (InvalidDataException)
        {
            return null;
        }

        using (archive)
        {
            if (archive.GetEntry("xl/workbook.xml") is not { } workbook)
            {
                return null;
            }

            var (name, relation) = FirstSheet(workbook);
            if (relation is null || SheetPath(archive, relation) is not { } path || archive.GetEntry(path) is not { } sheet)
            {
                return null;
            }

            var strings = archive.GetEntry("xl/sharedStrings.xml") is { } shared ? SharedStrings(shared) : [];
            var dates = archive.GetEntry("xl/styles.xml") is { } styles ? DateStyles(styles) : [];
            return (name, ToCsv(sheet, strings, dates, zone));
        }
    }

    private static XmlReader Open(ZipArchiveEntry entry) =>
        XmlReader.Create(entry.Open(), new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, CloseInput = true, IgnoreWhitespace = false });

    private static (string Name, string? Relation) FirstSheet(ZipArchiveEntry workbook)
    {
        using var xml = Open(workbook);
        while (xml.Read())
        {
            if (xml is { NodeType: XmlNodeType.Element, LocalName: "sheet" })
            {
                return (xml.GetAttribute("name") ?? "Sheet1", xml.GetAttribute("id", Relationships));
            }
        }

        return ("", null);
    }

    private static string? SheetPath(ZipArchive archive, string relation)
    {
        if (archive.GetEntry("xl/_rels/workbook.xml.rels") is not { } rels)
        {
            return null;
        }

        using var xml = Open(rels);
        while (xml.Read())
        {
            if (xml is { NodeType: XmlNodeType.Element, LocalName: "Relationship" } && xml.GetAttribute("Id") == relation && xml.GetAttribute("Target") is { } target)
            {
                return target.StartsWith('/') ? target[1..] : "xl/" + target;
            }
        }

        return null;
    }

    private static List<string> SharedStrings(ZipArchiveEntry entry)
    {
        var strings = new List<string>();
        using var xml = Open(entry);
        var text = new StringBuilder();
        var phonetic = 0;
        var inText = false;
        while (xml.Read())
        {
            switch (xml.NodeType)
            {
                case XmlNodeType.Element when xml.LocalName == "si":
                    text.Clear();
                    if (xml.IsEmptyElement)
                    {
                        strings.Add("");
                    }

                    break;
                case XmlNodeType.Element when xml.LocalName == "rPh" && !xml.IsEmptyElement:
                    phonetic++;
                    break;
                case XmlNodeType.EndElement when xml.LocalName == "rPh":
                    phonetic--;
                    break;
                case XmlNodeType.Element when xml.LocalName == "t" && !xml.IsEmptyElement:
                    inText = phonetic == 0;
                    break;
                case XmlNodeType.EndElement when xml.LocalName == "t":
                    inText = false;
                    break;
                case XmlNodeType.Text or XmlNodeType.CDATA or XmlNodeType.Whitespace or XmlNodeType.SignificantWhitespace when inText:
                    text.Append(xml.Value);
                    break;
                case XmlNodeType.EndElement when xml.LocalName == "si":
                    strings.Add(text.ToString());
                    break;
            }
        }

        return strings;
    }

    /// <summary>Indexes of cell formats (<c>cellXfs</c>) whose number format shows a date or a time.</summary>
    private static HashSet<int> DateStyles(ZipArchiveEntry entry)
    {
        var customDates = new HashSet<int>();
        var formats = new List<int>();
        using var xml = Open(entry);
        var inCellFormats = false;
        while (xml.Read())
        {
            if (xml is { NodeType: XmlNodeType.Element, LocalName: "numFmt" }
                && int.TryParse(xml.GetAttribute("numFmtId"), NumberStyles.None, CultureInfo.InvariantCulture, out var id)
                && IsDateFormat(xml.GetAttribute("formatCode") ?? ""))
            {
                customDates.Add(id);
            }
            else if (xml is { NodeType: XmlNodeType.Element, LocalName: "cellXfs" })
            {
                inCellFormats = !xml.IsEmptyElement;
            }
            else if (xml is { NodeType: XmlNodeType.EndElement, LocalName: "cellXfs" })
            {
                inCellFormats = false;
            }
            else if (inCellFormats && xml is { NodeType: XmlNodeType.Element, LocalName: "xf" })
            {
                formats.Add(int.TryParse(xml.GetAttribute("numFmtId"), NumberStyles.None, CultureInfo.InvariantCulture, out var f) ? f : 0);
            }
        }

        // Built-in date and time formats: 14–22 and 45–47.
        return formats.Select((f, i) => (f, i)).Where(x => x.f is >= 14 and <= 22 or >= 45 and <= 47 || customDates.Contains(x.f)).Select(x => x.i).ToHashSet();
    }

    private static bool IsDateFormat(string code)
    {
        var quoted = false;
        var bracket = false;
        foreach (var c in code)
        {
            switch (c)
            {
                case '"':
                    quoted = !quoted;
                    break;
                case '[':
                    bracket = true;
                    break;
                case ']':
                    bracket = false;
                    break;
                default:
                    if (!quoted && !bracket && char.ToLowerInvariant(c) is 'y' or 'd' or 'h' or 's' or 'm')
                    {
                        return true;
                    }

                    break;
            }
        }

        return false;
    }

    private static string ToCsv(ZipArchiveEntry sheet, List<string> strings, HashSet<int> dates, TimeZoneInfo zone)
    {
        var csv = new StringBuilder();
        var row = new List<string>();
        var buffer = new StringBuilder();
        using var xml = Open(sheet);
        string? type = null;
        var style = 0;
        var column = 0;
        var inValue = false;
        int? width = null;
        while (xml.Read())
        {
            switch (xml.NodeType)
            {
                case XmlNodeType.Element when xml.LocalName == "row":
                    row.Clear();
                    if (xml.IsEmptyElement)
                    {
                        csv.Append('\n');
                    }

                    break;
                case XmlNodeType.Element when xml.LocalName == "c":
                    type = xml.GetAttribute("t");
                    style = int.TryParse(xml.GetAttribute("s"), NumberStyles.None, CultureInfo.InvariantCulture, out var s) ? s : 0;
                    column = ColumnOf(xml.GetAttribute("r")) ?? row.Count;
                    buffer.Clear();
                    Put(row, column, "");
                    break;
                case XmlNodeType.Element when (xml.LocalName == "v" || (xml.LocalName == "t" && type == "inlineStr")) && !xml.IsEmptyElement:
                    inValue = true;
                    break;
                case XmlNodeType.EndElement when xml.LocalName is "v" or "t":
                    inValue = false;
                    break;
                case XmlNodeType.Text or XmlNodeType.CDATA or XmlNodeType.Whitespace or XmlNodeType.SignificantWhitespace when inValue:
                    buffer.Append(xml.Value);
                    break;
                case XmlNodeType.EndElement when xml.LocalName == "c":
                    Put(row, column, Text(type, buffer.ToString(), style, strings, dates, zone));
                    break;
                case XmlNodeType.EndElement when xml.LocalName == "row":
                    // Excel leaves trailing empty cells out; every row gets the header row's width.
                    width ??= row.Count;
                    while (row.Count < width)
                    {
                        row.Add("");
                    }

                    for (var i = 0; i < row.Count; i++)
                    {
                        if (i > 0)
                        {
                            csv.Append(',');
                        }

                        Quote(csv, row[i]);
                    }

                    csv.Append('\n');
                    break;
            }
        }

        return csv.ToString();
    }

    private static void Put(List<string> row, int column, string value)
    {
        while (row.Count <= column)
        {
            row.Add("");
        }

        row[column] = value;
    }

    private static string Text(string? type, string value, int style, List<string> strings, HashSet<int> dates, TimeZoneInfo zone) => type switch
    {
        "s" => int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i < strings.Count ? strings[i] : "",
        "b" => value == "1" ? "TRUE" : "FALSE",
        "str" or "e" or "inlineStr" => value,
        _ when value.Length == 0 => "",
        _ when dates.Contains(style) && double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var serial) && serial is >= 0 and < 2_958_466 =>
            Local(DateTime.FromOADate(serial).AddTicks(TimeSpan.TicksPerSecond / 2), zone),
        _ => double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) ? number.ToString(CultureInfo.InvariantCulture) : value,
    };

    private static string Local(DateTime t, TimeZoneInfo zone)
    {
        var local = new DateTime(t.Year, t.Month, t.Day, t.Hour, t.Minute, t.Second, DateTimeKind.Unspecified);
        return new DateTimeOffset(local, zone.GetUtcOffset(local)).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
    }

    /// <summary>"AB12" → 27 (zero-based column); null when there is no reference.</summary>
    private static int? ColumnOf(string? reference)
    {
        if (string.IsNullOrEmpty(reference))
        {
            return null;
        }

        var column = 0;
        foreach (var c in reference)
        {
            if (c is >= 'A' and <= 'Z')
            {
                column = (column * 26) + (c - 'A' + 1);
                if (column > 16_384)
                {
                    return null;
                }
            }
            else
            {
                break;
            }
        }

        return column == 0 ? null : column - 1;
    }

    private static void Quote(StringBuilder csv, string value)
    {
        if (value.AsSpan().IndexOfAny(",\"\r\n") < 0)
        {
            csv.Append(value);
            return;
        }

        csv.Append('"').Append(value.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
    }
}
