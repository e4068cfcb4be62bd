using System.IO.Compression;
using System.Security;
using System.Text;

namespace Promoter.Metrics.Export;

/// <summary>
/// A minimal streaming XLSX (Office Open XML) writer: one sheet, rows written as they come, so a million-row export
/// uses constant memory. Text cells are inline strings (typed as text, never evaluated); numbers are numbers; dates are
/// date cells (a serial number with a date-time format), so a spreadsheet sorts, filters and charts them as dates.
/// </summary>
public sealed class XlsxWriter : IAsyncDisposable
{
    private readonly ZipArchive _zip;
    private readonly StreamWriter _sheet;
    private int _row;
    private int _column;

    public XlsxWriter(Stream output)
    {
        _zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true);
        Part("[Content_Types].xml",
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">" +
            "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/><Default Extension=\"xml\" ContentType=\"application/xml\"/>" +
            "<Override PartName=\"/xl/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml\"/>" +
            "<Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>" +
            "<Override PartName=\"/xl/worksheets/sheet1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/></Types>");
        Part("_rels/.rels",
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">" +
            "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>");
        Part("xl/workbook.xml",
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?><workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" " +
            "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><sheets><sheet name=\"Responses\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>");
        Part("xl/_rels/workbook.xml.rels",
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">" +
            "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet1.xml\"/>" +
            "<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/></Relationships>");
        // Style 0 is the default; style 1 shows a serial date-time as 2026-01-31 14:05:00 (number format 164, ISO order).
        Part("xl/styles.xml",
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?><styleSheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">" +
            "<numFmts count=\"1\"><numFmt numFmtId=\"164\" formatCode=\"yyyy-mm-dd hh:mm:ss\"/></numFmts>" +
            "<fonts count=\"1\"><font><sz val=\"11\"/><name val=\"Calibri\"/></font></fonts>" +
            "<fills count=\"2\"><fill><patternFill patternType=\"none\"/></fill><fill><patternFill patternType=\"gray125\"/></fill></fills>" +
            "<borders count=\"1\"><border><left/><right/><top/><bottom/><diagonal/></border></borders>" +
            "<cellStyleXfs count=\"1\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\"/></cellStyleXfs>" +
            "<cellXfs count=\"2\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\"/>" +
            "<xf numFmtId=\"164\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyNumberFormat=\"1\"/></cellXfs>" +
            "<cellStyles count=\"1\"><cellStyle name=\"Normal\" xfId=\"0\" builtinId=\"0\"/></cellStyles></styleSheet>");
        _sheet = new StreamWriter(_zip.CreateEntry("xl/worksheets/sheet1.xml", CompressionLevel.Fastest).Open(), new UTF8Encoding(false));
        _sheet.Write("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?><worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>");
    }

    public void BeginRow()
    {
        _row++;
        _column = 0;
        _sheet.Write($"<row r=\"{_row}\">");
    }

    public void Text(string? value)
    {
        _column++;
        if (string.IsNullOrEmpty(value))
        {
            return;
        }

        _sheet.Write($"<c r=\"{Reference()}\" t=\"inlineStr\"><is><t xml:space=\"preserve\">");
        _sheet.Write(SecurityElement.Escape(StripInvalidXml(value)));
        _sheet.Write("</t></is></c>");
    }

    public void Number(double value)
    {
        _column++;
        _sheet.Write($"<c r=\"{Reference()}\"><v>{value.ToString("R", System.Globalization.CultureInfo.InvariantCulture)}</v></c>");
    }

    /// <summary>A date-time cell holding <paramref name="local"/> as written (the caller converts to the time zone it names).</summary>
    public void DateTime(DateTime local)
    {
        _column++;
        var serial = local.ToOADate();
        _sheet.Write($"<c r=\"{Reference()}\" s=\"1\"><v>{serial.ToString("R", System.Globalization.CultureInfo.InvariantCulture)}</v></c>");
    }

    public void EndRow() => _sheet.Write("</row>");

    public async ValueTask DisposeAsync()
    {
        await _sheet.WriteAsync("</sheetData></worksheet>");
        await _sheet.DisposeAsync();
        _zip.Dispose();
    }

    private string Reference()
    {
        var column = new StringBuilder();
        for (var c = _column; c > 0; c = (c - 1) / 26)
        {
            column.Insert(0, (char)('A' + ((c - 1) % 26)));
        }

        return column.Append(_row).ToString();
    }

    // XML 1.0 cannot carry most control characters; comments are cleaned on input, imports may still hold some.
    private static string StripInvalidXml(string value) =>
        value.Any(c => c < ' ' && c is not ('\t' or '\n' or '\r')) ? new string(value.Where(c => c >= ' ' || c is '\t' or '\n' or '\r').ToArray()) : value;

    private void Part(string name, string content)
    {
        using var writer = new StreamWriter(_zip.CreateEntry(name, CompressionLevel.Fastest).Open(), new UTF8Encoding(false));
        writer.Write(content);
    }
}
