using System.Text;
using Microsoft.Playwright;
using Promoter.Cli;
using Promoter.Data;
using Promoter.Tests.Browser;
using Promoter.Tests.Infrastructure;

namespace Promoter.Tests.Collect;

/// <summary>CSV files as Excel saves them (UTF-16 with a BOM, Windows-1252) and files that are not CSV at all, through the CLI and the upload page.</summary>
[Collection(BrowserTests.Name)]
public sealed class CsvEncodingTests(BrowserFixture browser) : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("promoter-csv-").FullName;

    static CsvEncodingTests() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private const string Responses = "score,responded_at,comment\n9,2025-01-01T00:00:00Z,Très bien – café\n3,2025-01-02T00:00:00Z,Åsa säger nej\n";

    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task The_cli_imports_utf16_and_windows_1252_files_and_names_binary_ones(DatabaseProvider provider)
    {
        await using var server = await PromoterTestServer.StartAsync(provider);
        var ws = await server.CreateWorkspaceAsync("Excel " + provider);
        using var api = server.CreateApiClient(ws.ApiKey);
        var survey = await RespondentKit.CreateSurveyAsync(api);
        var env = new Dictionary<string, string> { ["Database__Provider"] = provider.ToString(), ["Database__ConnectionString"] = server.ConnectionString };

        var utf16 = await WriteAsync("utf16.csv", [.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes(Responses)]);
        var imported = await PromoterProcess.RunAsync(["import", "responses", utf16, "--survey", survey.ToString()], environment: env);
        Assert.True(imported.ExitCode == ExitCodes.Ok, imported.Stderr);
        Assert.Contains("UTF-16", imported.Stderr, StringComparison.Ordinal);

        var ansi = await WriteAsync("ansi.csv", Encoding.GetEncoding(1252).GetBytes(Responses.Replace("2025-01-0", "2025-02-0", StringComparison.Ordinal)));
        imported = await PromoterProcess.RunAsync(["import", "responses", ansi, "--survey", survey.ToString()], environment: env);
        Assert.True(imported.ExitCode == ExitCodes.Ok, imported.Stderr);
        Assert.Contains("read as Windows-1252", imported.Stderr, StringComparison.Ordinal);

        var comments = (await RespondentKit.ResponsesAsync(server, ws.Id)).Select(r => r.Comment).ToList();
        Assert.Equal(2, comments.Count(c => c == "Très bien – café"));
        Assert.Equal(2, comments.Count(c => c == "Åsa säger nej"));

        var png = await WriteAsync("chart.csv", [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13]);
        var refused = await PromoterProcess.RunAsync(["import", "responses", png, "--survey", survey.ToString()], environment: env);
        Assert.Equal(ExitCodes.Failed, refused.ExitCode);
        Assert.Contains("looks like a PNG image", refused.Stderr, StringComparison.Ordinal);

        var xlsx = await WriteAsync("contacts.xlsx", [(byte)'P', (byte)'K', 3, 4, 20, 0, 6, 0, 8, 0]);
        refused = await PromoterProcess.RunAsync(["import", "contacts", xlsx, "--workspace", ws.Name], environment: env);
        Assert.Equal(ExitCodes.Failed, refused.ExitCode);
        Assert.Contains("Excel workbook (XLSX)", refused.Stderr, StringComparison.Ordinal);
        Assert.Contains("CSV UTF-8", refused.Stderr, StringComparison.Ordinal);

        var bigEndian = await WriteAsync("people.csv", [.. Encoding.BigEndianUnicode.GetPreamble(), .. Encoding.BigEndianUnicode.GetBytes("email,name\nasa@example.com,Åsa Öberg\n")]);
        var contacts = await PromoterProcess.RunAsync(["import", "contacts", bigEndian, "--workspace", ws.Name], environment: env);
        Assert.True(contacts.ExitCode == ExitCodes.Ok, contacts.Stderr);
        Assert.Contains("Imported 1 contacts", contacts.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    [Trait("Category", "Browser")]
    public async Task The_upload_page_reads_a_windows_1252_file_and_says_so_and_names_a_spreadsheet()
    {
        await using var server = await PromoterTestServer.StartAsync(DatabaseProvider.Sqlite);
        var ws = await server.CreateWorkspaceAsync("Excel page");
        await using var context = await browser.Browser.NewContextAsync(new() { BaseURL = server.BaseAddress.ToString() });
        var page = await context.NewPageAsync();
        await SurveyEditorBrowserTests.SignInAsync(page, ws.OwnerEmail, ws.OwnerPassword);

        await page.GotoAsync("/contacts/import");
        await UploadAsync(page, "contacts.csv", Encoding.GetEncoding(1252).GetBytes("email,name\nrene@example.com,René Ångström\n"));
        await Assertions.Expect(page.Locator("#import-result")).ToContainTextAsync("Imported 1 contacts");
        await Assertions.Expect(page.Locator("#encoding-note")).ToContainTextAsync("Windows-1252");
        await page.GotoAsync("/contacts");
        await Assertions.Expect(page.Locator("#contacts")).ToContainTextAsync("René Ångström");

        await page.GotoAsync("/contacts/import");
        await UploadAsync(page, "contacts.xlsx", [(byte)'P', (byte)'K', 3, 4, 20, 0, 6, 0, 8, 0]);
        await Assertions.Expect(page.Locator("main")).ToContainTextAsync("not a CSV file or an Excel workbook (XLSX) that can be read"); // a broken archive (real workbooks are read: XlsxImportTests)
    }

    private static async Task UploadAsync(IPage page, string name, byte[] content)
    {
        await page.GetByLabel("Contacts (CSV)").SetInputFilesAsync(new FilePayload { Name = name, MimeType = "text/csv", Buffer = content });
        await page.GetByRole(AriaRole.Button, new() { Name = "Import" }).ClickAsync();
    }

    private async Task<string> WriteAsync(string name, byte[] bytes)
    {
        var path = Path.Combine(_directory, name);
        await File.WriteAllBytesAsync(path, bytes);
        return path;
    }
}
