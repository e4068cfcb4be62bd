using System.IO.Compression;
using System.Net.Http.Json;
using System.Text;
using Promoter.Cli;
using Promoter.Data;
using Promoter.Platform.Csv;
using Promoter.Tests.Infrastructure;

namespace Promoter.Tests.Collect;

/// <summary>
/// Excel workbooks (XLSX) are imported through the same CSV path: the first sheet's shared, inline and formula strings,
/// numbers, skipped cells and date cells (read as the workspace's local time).
/// </summary>
public sealed class XlsxImportTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("promoter-xlsx-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    /// <summary>
    /// A workbook as Excel writes one: shared strings (one with a comma and a quote, one rich text in two runs with a
    /// phonetic guide that is not part of the text), an inline string, a date cell (built-in format 22, "m/d/yy h:mm"),
    /// a custom date format, a skipped cell, and a second sheet that is not read.
    /// </summary>
    internal static byte[] Workbook()
    {
        using var memory = new MemoryStream();
        using (var zip = new ZipArchive(memory, ZipArchiveMode.Create, leaveOpen: true))
        {
            void Add(string path, string xml)
            {
                using var writer = new StreamWriter(zip.CreateEntry(path).Open(), new UTF8Encoding(false));
                writer.Write(xml);
            }

            const string Main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
            const string Rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
            Add("[Content_Types].xml", """<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>""");
            Add("xl/workbook.xml", $"""<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{Main}" xmlns:r="{Rel}"><sheets><sheet name="Svar" sheetId="1" r:id="rId7"/><sheet name="Other" sheetId="2" r:id="rId8"/></sheets></workbook>""");
            Add("xl/_rels/workbook.xml.rels", """<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId8" Type="x" Target="worksheets/sheet2.xml"/><Relationship Id="rId7" Type="x" Target="worksheets/sheet1.xml"/></Relationships>""");
            Add("xl/sharedStrings.xml", $"""<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{Main}"><si><t>score</t></si><si><t>responded_at</t></si><si><t>comment</t></si><si><t>Très bien, "café"</t></si><si><r><t>Åsa </t></r><r><rPr><b/></rPr><t xml:space="preserve">säger nej</t></r><rPh sb="0" eb="1"><t>ア</t></rPh></si><si><t>channel</t></si><si><t>email</t></si></sst>""");
            Add("xl/styles.xml", $"""<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="{Main}"><numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy\-mm\-dd hh:mm"/></numFmts><cellXfs count="3"><xf numFmtId="0"/><xf numFmtId="22" applyNumberFormat="1"/><xf numFmtId="164" applyNumberFormat="1"/></cellXfs></styleSheet>""");
            // 45722.5 = 2025-03-06 12:00; 45723.25 = 2025-03-07 06:00 (Excel's 1900 date system).
            Add("xl/worksheets/sheet1.xml", $"""
                <?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{Main}"><sheetData>
                <row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c><c r="D1" t="s"><v>5</v></c></row>
                <row r="2"><c r="A2"><v>9</v></c><c r="B2" s="1"><v>45722.5</v></c><c r="C2" t="s"><v>3</v></c><c r="D2" t="s"><v>6</v></c></row>
                <row r="3"><c r="A3" t="str"><f>1+2</f><v>3</v></c><c r="B3" s="2"><v>45723.25</v></c><c r="C3" t="s"><v>4</v></c></row>
                <row r="4"><c r="A4"><v>10</v></c><c r="B4" t="inlineStr"><is><t>2025-03-08T10:00:00Z</t></is></c></row>
                </sheetData></worksheet>
                """);
            Add("xl/worksheets/sheet2.xml", $"""<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{Main}"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>not read</t></is></c></row></sheetData></worksheet>""");
        }

        return memory.ToArray();
    }

    [Fact]
    public void The_first_sheet_becomes_csv_with_dates_in_the_given_zone()
    {
        using var stream = new MemoryStream(Workbook());
        var sheet = XlsxSheet.TryRead(stream, TimeZoneInfo.FindSystemTimeZoneById("Europe/Stockholm"));
        Assert.NotNull(sheet);
        Assert.Equal("Svar", sheet.Value.Name);
        Assert.Equal(
            "score,responded_at,comment,channel\n" +
            "9,2025-03-06T12:00:00+01:00,\"Très bien, \"\"café\"\"\",email\n" +
            "3,2025-03-07T06:00:00+01:00,Åsa säger nej,\n" +
            "10,2025-03-08T10:00:00Z,,\n",
            sheet.Value.Csv);

        using var notAWorkbook = new MemoryStream([(byte)'P', (byte)'K', 3, 4, 20, 0, 6, 0, 8, 0]);
        Assert.Null(XlsxSheet.TryRead(notAWorkbook, TimeZoneInfo.Utc));
    }

    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task The_cli_imports_a_workbook_with_its_dates_in_the_workspace_time_zone(DatabaseProvider provider)
    {
        await using var server = await PromoterTestServer.StartAsync(provider);
        var ws = await server.CreateWorkspaceAsync("Workbook " + provider);
        using var api = server.CreateApiClient(ws.ApiKey);
        (await api.PatchAsJsonAsync("/api/v1/workspace", new { timeZone = "Europe/Stockholm" })).EnsureSuccessStatusCode();
        var survey = await RespondentKit.CreateSurveyAsync(api);
        var env = new Dictionary<string, string> { ["Database__Provider"] = provider.ToString(), ["Database__ConnectionString"] = server.ConnectionString };

        var path = Path.Combine(_directory, "answers.xlsx");
        await File.WriteAllBytesAsync(path, Workbook());
        var imported = await PromoterProcess.RunAsync(["import", "responses", path, "--survey", survey.ToString()], environment: env);
        Assert.True(imported.ExitCode == ExitCodes.Ok, imported.Stderr);
        Assert.Contains("Excel workbook", imported.Stderr, StringComparison.Ordinal);
        Assert.Contains("Svar", imported.Stderr, StringComparison.Ordinal);

        var rows = await RespondentKit.ResponsesAsync(server, ws.Id);
        Assert.Equal([9, 3, 10], rows.Select(r => (int)r.Score));
        Assert.Equal(["Très bien, \"café\"", "Åsa säger nej", ""], rows.Select(r => r.Comment ?? ""));
        // Stockholm is UTC+1 in March: 12:00 and 06:00 local.
        Assert.Equal(new DateTime(2025, 3, 6, 11, 0, 0, DateTimeKind.Utc), DateTime.SpecifyKind(rows[0].RespondedAt, DateTimeKind.Utc));
        Assert.Equal(new DateTime(2025, 3, 7, 5, 0, 0, DateTimeKind.Utc), DateTime.SpecifyKind(rows[1].RespondedAt, DateTimeKind.Utc));
        Assert.Equal(new DateTime(2025, 3, 8, 10, 0, 0, DateTimeKind.Utc), DateTime.SpecifyKind(rows[2].RespondedAt, DateTimeKind.Utc));
        Assert.Equal("email", rows[0].Channel);
    }
}
