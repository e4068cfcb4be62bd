using System.Text;
using Microsoft.EntityFrameworkCore;
using Promoter.Cli;
using Promoter.Collect;
using Promoter.Data;
using Promoter.Distribution.Contacts;
using Promoter.Tests.Infrastructure;

namespace Promoter.Tests.Contacts;

/// <summary>CSV import of contacts: upsert by email, all or nothing, a per-row report, duplicates in one file refused; the CLI verb.</summary>
public sealed class ContactImportTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("promoter-contacts-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task A_clean_file_creates_and_updates_by_email_and_merges_properties(DatabaseProvider provider)
    {
        await using var server = await PromoterTestServer.StartAsync(provider);
        var ws = await server.CreateWorkspaceAsync("Acme");
        await ImportAsync(server, ws.Id, "email,name,plan\nana@example.com,Ana,gold\n");
        var result = await ImportAsync(server, ws.Id,
            "Email;Phone;Name;Locale;Time_Zone;property.region;plan\n" +
            "ANA@example.com;;;sv-se;Europe/Stockholm;north;\n" +
            "bo@example.com;+46 70 999 00 00;\"Bo, \"\"the boss\"\"\";ar;Asia/Riyadh;south;silver\n" +
            "\n" +
            ";+66 81 234 5678;สมชาย;th;Asia/Bangkok;;\n");
        Assert.True(result.Committed);
        Assert.Equal((3L, 2L, 1L), (result.Rows, result.Created, result.Updated));

        var contacts = await ContactsAsync(server, ws.Id);
        Assert.Equal(3, contacts.Count);
        var ana = contacts.Single(c => c.EmailKey == "ana@example.com");
        Assert.Equal(("Ana", "sv-SE", "Europe/Stockholm"), (ana.Name, ana.Locale, ana.TimeZone));
        Assert.Equal("""{"plan":"gold","region":"north"}""", ana.Properties); // the empty plan cell changed nothing
        Assert.Equal("Bo, \"the boss\"", contacts.Single(c => c.EmailKey == "bo@example.com").Name);
        Assert.Equal("+66812345678", contacts.Single(c => c.EmailKey == null).Phone);
    }

    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task One_bad_row_imports_nothing_and_every_problem_is_reported_by_line_and_field(DatabaseProvider provider)
    {
        await using var server = await PromoterTestServer.StartAsync(provider);
        var ws = await server.CreateWorkspaceAsync("Acme");
        await ImportAsync(server, ws.Id, "email,phone\ntaken@example.com,+4611111111\n");
        var result = await ImportAsync(server, ws.Id,
            "email,phone,name,locale,time_zone\n" +
            "ok@example.com,,Fine,,\n" +                                        // line 2
            "not-an-email,,,,\n" +                                              // line 3
            "dup@example.com,,First,,\n" +                                       // line 4
            "DUP@example.com,,Second,,\n" +                                      // line 5
            "\"eve@example.com\",,\"Eve\r\nBcc: all@example.com\",,\n" +        // line 6 (the quoted field spans a line)
            "zed@example.com,,,xx_not a tag,Mars/Base\n" +                       // line 8
            "new@example.com,+46 11 111 111,,,\n");                              // line 9: another contact's phone
        Assert.False(result.Committed);
        Assert.Equal(5, result.Rejected);
        var byLine = result.FirstErrors.ToLookup(e => e.Line);
        Assert.Equal("email", Assert.Single(byLine[3]).Field);
        Assert.Contains("line 4", Assert.Single(byLine[5]).Message, StringComparison.Ordinal);
        Assert.Equal("name", Assert.Single(byLine[6]).Field);
        Assert.Equal(["locale", "timeZone"], byLine[8].Select(e => e.Field).Order());
        Assert.Equal("phone", Assert.Single(byLine[9]).Field);
        Assert.Empty(byLine[2]);

        // Nothing of the file was stored, the good rows included.
        Assert.Equal(["taken@example.com"], (await ContactsAsync(server, ws.Id)).Select(c => c.EmailKey));
    }

    [Fact]
    public async Task A_file_that_cannot_be_read_is_one_clear_error()
    {
        await using var server = await PromoterTestServer.StartAsync(DatabaseProvider.Sqlite);
        var ws = await server.CreateWorkspaceAsync("Acme");
        var fiftyOne = string.Join(",", Enumerable.Range(0, 51).Select(i => $"p{i}"));
        foreach (var (csv, expected) in new[]
                 {
                     ("", "empty"),
                     ("name,plan\nAna,gold\n", "'email' or a 'phone'"),
                     ($"email,{fiftyOne}\n", "51 property columns"),
                     ("email,Email\n", "twice"),
                     ("email,bad key!\n", "not a contact field"),
                     ("email,name\n\"open@example.com,Ana\n", "quote"),
                 })
        {
            var error = await Assert.ThrowsAsync<ImportFileException>(() => ImportAsync(server, ws.Id, csv));
            Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        }

        var invalidUtf8 = new byte[] { (byte)'e', (byte)'m', (byte)'a', (byte)'i', (byte)'l', (byte)'\n', 0xC3, 0x28, (byte)'\n' };
        // Not UTF-8 is read as Windows-1252 (Excel's "CSV" on Windows) and said so; the row is then judged on its merits.
        var read = await ImportAsync(server, ws.Id, invalidUtf8);
        Assert.Contains("Windows-1252", read.EncodingNote, StringComparison.Ordinal);
        Assert.False(read.Committed);
        Assert.Empty(await ContactsAsync(server, ws.Id));
    }

    [Fact]
    public async Task The_cli_imports_reports_rejected_lines_in_a_file_and_uses_the_exit_codes()
    {
        await using var server = await PromoterTestServer.StartAsync(DatabaseProvider.Sqlite);
        var ws = await server.CreateWorkspaceAsync("Acme CLI");
        var env = new Dictionary<string, string>
        {
            ["Database__Provider"] = "Sqlite",
            ["Database__ConnectionString"] = server.ConnectionString,
        };
        var bad = Path.Combine(_directory, "bad.csv");
        await File.WriteAllTextAsync(bad, "email,name\na@example.com,Ana\nA@example.com,=HYPERLINK(\"x\")\n");
        var errors = Path.Combine(_directory, "errors.csv");
        var refused = await PromoterProcess.RunAsync(["import", "contacts", bad, "--workspace", "Acme CLI", "--errors", errors], environment: env);
        Assert.Equal(ExitCodes.Failed, refused.ExitCode);
        Assert.Contains("line 3, email:", refused.Stderr, StringComparison.Ordinal);
        Assert.Contains("nothing was imported", refused.Stderr, StringComparison.Ordinal);
        var report = await File.ReadAllLinesAsync(errors);
        Assert.Equal("line,field,message,value", report[0].TrimStart('\uFEFF'));
        Assert.StartsWith("3,email,", report[1], StringComparison.Ordinal);
        Assert.Empty(await ContactsAsync(server, ws.Id));

        var good = Path.Combine(_directory, "good.csv");
        await File.WriteAllTextAsync(good, "email,name\na@example.com,Ana\nb@example.com,Bo\n");
        var imported = await PromoterProcess.RunAsync(["import", "contacts", good, "--workspace", ws.Id.ToString()], environment: env);
        Assert.True(imported.ExitCode == ExitCodes.Ok, imported.Stderr);
        Assert.Contains("Imported 2 contacts into workspace 'Acme CLI': 2 created, 0 updated", imported.Stdout, StringComparison.Ordinal);
        Assert.Equal(2, (await ContactsAsync(server, ws.Id)).Count);

        var noWorkspace = await PromoterProcess.RunAsync(["import", "contacts", good], environment: env);
        Assert.Equal(ExitCodes.Usage, noWorkspace.ExitCode);
        var unknown = await PromoterProcess.RunAsync(["import", "contacts", good, "--workspace", "Nope"], environment: env);
        Assert.Equal(ExitCodes.Failed, unknown.ExitCode);
    }

    private static Task<ContactImportResult> ImportAsync(PromoterTestServer server, Guid workspaceId, string csv) =>
        ImportAsync(server, workspaceId, Encoding.UTF8.GetBytes(csv));

    private static Task<ContactImportResult> ImportAsync(PromoterTestServer server, Guid workspaceId, byte[] csv) =>
        server.InWorkspaceAsync(workspaceId, async sp =>
        {
            using var stream = new MemoryStream(csv);
            return await sp.GetRequiredService<ContactImporter>().ImportAsync(stream, new ContactImportRequest { Source = "test.csv" }, CancellationToken.None);
        });

    private static Task<List<Promoter.Distribution.Contact>> ContactsAsync(PromoterTestServer server, Guid workspaceId) =>
        server.InWorkspaceAsync(workspaceId, sp => sp.GetRequiredService<PromoterDb>().Contacts.AsNoTracking().OrderBy(c => c.EmailKey).ToListAsync());
}
