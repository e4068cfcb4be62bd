using System.IO.Compression;
using System.Net.Http.Json;
using System.Xml.Linq;
using Promoter.Cli;
using Promoter.Data;
using Promoter.Platform.Csv;
using Promoter.Tests.Infrastructure;

namespace Promoter.Tests.Metrics;

public sealed class ExportTests
{
    [Theory]
    [InlineData("=1+1", "'=1+1")]
    [InlineData("+31 6 1234", "'+31 6 1234")]
    [InlineData("-5", "'-5")]
    [InlineData("@cmd", "'@cmd")]
    [InlineData("\tx", "'\tx")]
    [InlineData("\rx", "'\rx")]
    [InlineData("  =x", "'  =x")]
    [InlineData("fine = good", "fine = good")]
    [InlineData("", "")]
    public void Formula_looking_text_is_prefixed_and_other_text_is_untouched(string input, string expected) =>
        Assert.Equal(expected, SpreadsheetSafe.Text(input));

    [Fact]
    public void Csv_fields_are_quoted_per_rfc_4180_and_read_back_intact()
    {
        var output = new StringWriter();
        var csv = new CsvWriter(output);
        csv.Field("a,b");
        csv.Field("say \"hi\"");
        csv.Field("two\nlines");
        csv.Number(7);
        csv.EndRecord();
        Assert.Equal("\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",7\r\n", output.ToString());
        var reader = new CsvRecordReader(new StringReader(output.ToString()));
        Assert.True(reader.Read());
        Assert.Equal(["a,b", "say \"hi\"", "two\nlines", "7"], reader.Fields);
    }

    [Fact]
    public async Task The_cli_exports_csv_and_xlsx_with_a_date_range()
    {
        await using var server = await PromoterTestServer.StartAsync(DatabaseProvider.Sqlite);
        var ws = await server.CreateWorkspaceAsync("Export CLI");
        using var api = server.CreateApiClient(ws.ApiKey);
        var survey = await Accounts.TenantFixtures.CreateAsync(api, "/api/v1/surveys", new { name = "E", brandName = "E" });
        foreach (var (score, day) in new[] { (9, "2026-01-10"), (3, "2026-01-20"), (10, "2026-02-05") })
        {
            (await api.PostAsJsonAsync("/api/v1/responses", new { surveyId = survey, score, comment = "=danger", respondedAt = $"{day}T12:00:00Z" })).EnsureSuccessStatusCode();
        }

        var directory = Directory.CreateTempSubdirectory("promoter-export-").FullName;
        var env = new Dictionary<string, string> { ["Database__Provider"] = "Sqlite", ["Database__ConnectionString"] = server.ConnectionString };
        var csvPath = Path.Combine(directory, "r.csv");
        var csv = await PromoterProcess.RunAsync(["export", "responses", "--survey", survey, "--from", "2026-01-01", "--to", "2026-01-31", "-o", csvPath], environment: env);
        Assert.True(csv.ExitCode == 0, csv.Stderr);
        var lines = await File.ReadAllLinesAsync(csvPath);
        Assert.Equal(3, lines.Length); // header + two January responses
        Assert.All(lines.Skip(1), l => Assert.Contains(",'=danger,", l, StringComparison.Ordinal));

        var xlsxPath = Path.Combine(directory, "r.xlsx");
        var xlsx = await PromoterProcess.RunAsync(["export", "responses", "--survey", survey, "--format", "xlsx", "-o", xlsxPath], environment: env);
        Assert.True(xlsx.ExitCode == 0, xlsx.Stderr);
        using var zip = ZipFile.OpenRead(xlsxPath);
        Assert.NotNull(zip.GetEntry("xl/workbook.xml"));

        var bad = await PromoterProcess.RunAsync(["export", "responses", "--survey", Guid.NewGuid().ToString(), "-o", csvPath], environment: env);
        Assert.Equal(ExitCodes.Failed, bad.ExitCode);
        Directory.Delete(directory, recursive: true);
    }

    [Fact]
    public async Task Xlsx_responded_at_is_a_date_cell_in_the_workspace_time_zone_named_in_the_header()
    {
        await using var server = await PromoterTestServer.StartAsync(DatabaseProvider.Sqlite);
        var ws = await server.CreateWorkspaceAsync("Export dates");
        using var api = server.CreateApiClient(ws.ApiKey);
        (await api.PatchAsJsonAsync("/api/v1/workspace", new { timeZone = "Europe/Stockholm" })).EnsureSuccessStatusCode();
        var survey = await Accounts.TenantFixtures.CreateAsync(api, "/api/v1/surveys", new { name = "D", brandName = "D" });
        (await api.PostAsJsonAsync("/api/v1/responses", new { surveyId = survey, score = 9, respondedAt = "2026-07-01T22:30:00Z" })).EnsureSuccessStatusCode();

        var directory = Directory.CreateTempSubdirectory("promoter-export-").FullName;
        var env = new Dictionary<string, string> { ["Database__Provider"] = "Sqlite", ["Database__ConnectionString"] = server.ConnectionString };
        var path = Path.Combine(directory, "r.xlsx");
        var run = await PromoterProcess.RunAsync(["export", "responses", "--survey", survey, "--format", "xlsx", "-o", path], environment: env);
        Assert.True(run.ExitCode == 0, run.Stderr);

        using var zip = ZipFile.OpenRead(path);
        XNamespace x = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
        XDocument Read(string entry)
        {
            using var stream = zip.GetEntry(entry)!.Open();
            return XDocument.Load(stream);
        }

        var rows = Read("xl/worksheets/sheet1.xml").Descendants(x + "row").ToList();
        var headers = rows[0].Elements(x + "c").Select(c => c.Value).ToList();
        var column = headers.IndexOf("responded_at (Europe/Stockholm)");
        Assert.True(column >= 0, string.Join(" | ", headers));
        var cell = rows[1].Elements(x + "c").ElementAt(column);
        Assert.Null(cell.Attribute("t")); // a number, not text
        var style = int.Parse(cell.Attribute("s")!.Value, System.Globalization.CultureInfo.InvariantCulture);
        var format = Read("xl/styles.xml").Descendants(x + "cellXfs").Single().Elements(x + "xf").ElementAt(style).Attribute("numFmtId")!.Value;
        var code = Read("xl/styles.xml").Descendants(x + "numFmt").Single(n => n.Attribute("numFmtId")!.Value == format).Attribute("formatCode")!.Value;
        Assert.Contains("yyyy", code, StringComparison.Ordinal);
        var local = DateTime.FromOADate(double.Parse(cell.Element(x + "v")!.Value, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(new DateTime(2026, 7, 2, 0, 30, 0), local, TimeSpan.FromSeconds(1)); // 22:30 UTC is 00:30 next day in Stockholm (CEST)
        Directory.Delete(directory, recursive: true);
    }
}
