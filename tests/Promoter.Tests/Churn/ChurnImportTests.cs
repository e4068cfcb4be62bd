using System.Text;
using Microsoft.EntityFrameworkCore;
using Promoter.Churn;
using Promoter.Cli;
using Promoter.Data;
using Promoter.Tests.Infrastructure;

namespace Promoter.Tests.Churn;

public sealed class ChurnImportTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("churn-import-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task A_file_of_churn_events_imports_once_and_again_adds_nothing(DatabaseProvider provider)
    {
        await using var h = await ChurnHarness.StartAsync(provider);
        await h.SetContactPropertiesAsync("a@example.com", new() { ["account"] = "Acme" });
        await h.RespondAsync(3, null, "a@example.com");
        await h.RespondAsync(9, null, "b@example.com");
        var b = await h.ContactIdAsync("b@example.com");
        var csv = "email;contact_id;account;occurred_at;reason;revenue;external_key\n" +
                  "A@example.com;;;2026-01-02T10:00:00Z;Price;1200.50;\n" +
                  $";{b};;2026-01-03T10:00:00+01:00;;;crm-9\n" +
                  ";;Acme;2026-01-04T00:00:00Z;Moved to a competitor;;\n" +
                  "a@example.com;;;2026-01-02T10:00:00Z;Same again;;\n";

        var first = await ImportAsync(h, csv);
        Assert.True(first.Committed, string.Join("; ", first.FirstErrors));
        Assert.Equal((4L, 3L, 1L), (first.Rows, first.Created, first.Duplicates));
        var again = await ImportAsync(h, csv);
        Assert.Equal((0L, 4L), (again.Created, again.Duplicates));
        Assert.Equal(3, await h.QueryAsync(db => db.ChurnEvents.CountAsync(e => e.Source == "csv")));
    }

    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task A_file_with_many_bad_rows_is_reported_by_line_and_field_and_writes_nothing(DatabaseProvider provider)
    {
        await using var h = await ChurnHarness.StartAsync(provider);
        await h.RespondAsync(3, null, "known@example.com");
        var text = new StringBuilder("email,occurred_at,revenue\nknown@example.com,2026-01-02T10:00:00Z,10\n");
        for (var i = 0; i < 20_000; i++)
        {
            text.Append((i % 4) switch
            {
                0 => "known@example.com,2999-01-01T00:00:00Z,1\n",   // in the future
                1 => $"nobody{i}@example.com,2026-01-02T10:00:00Z,1\n", // unknown contact
                2 => "known@example.com,2026-01-02T10:00:00Z,lots\n",  // not a number
                _ => "not-an-email,yesterday,1\n",
            });
        }

        var result = await ImportAsync(h, text.ToString());
        Assert.False(result.Committed);
        Assert.Equal(20_001, result.Rows);
        Assert.Equal(20_000, result.Rejected);
        Assert.Equal(ChurnEventImporter.MaxReportedErrors, result.FirstErrors.Count);
        var fields = result.FirstErrors.Select(e => e.Field).ToHashSet();
        Assert.Superset(new HashSet<string> { "occurred_at", "revenue", "email" }, fields);
        Assert.Contains(result.FirstErrors, e => e.Line == 3 && e.Field == "occurred_at");
        Assert.Equal(0, await h.QueryAsync(db => db.ChurnEvents.CountAsync()));
        Assert.Equal(1, await h.QueryAsync(db => db.Contacts.CountAsync()));

        foreach (var broken in new[] { "", "email,when\n", "email,occurred_at,occurred_at\n", "email\n" })
        {
            await Assert.ThrowsAsync<Promoter.Collect.ImportFileException>(() => ImportAsync(h, broken));
        }
    }

    [Fact]
    public async Task The_cli_imports_churn_events_and_refuses_a_bad_file_with_a_report()
    {
        await using var h = await ChurnHarness.StartAsync(DatabaseProvider.Sqlite);
        await h.RespondAsync(3, null, "known@example.com");
        var env = new Dictionary<string, string>
        {
            ["Database__Provider"] = "Sqlite",
            ["Database__ConnectionString"] = h.Server.ConnectionString,
        };
        var bad = Path.Combine(_directory, "bad.csv");
        await File.WriteAllTextAsync(bad, "email,occurred_at\nknown@example.com,2026-01-02T10:00:00Z\nghost@example.com,2026-01-02T10:00:00Z\n");
        var refused = await PromoterProcess.RunAsync(["import", "churn", bad, "--workspace", h.Workspace.Id.ToString()], environment: env);
        Assert.True(ExitCodes.Failed == refused.ExitCode, refused.Stderr);
        Assert.Contains("line 3, email:", refused.Stderr, StringComparison.Ordinal);
        Assert.Contains("nothing was imported", refused.Stderr, StringComparison.Ordinal);
        Assert.Equal(0, await h.QueryAsync(db => db.ChurnEvents.CountAsync()));

        var good = Path.Combine(_directory, "good.csv");
        await File.WriteAllTextAsync(good, "email,occurred_at\nknown@example.com,2026-01-02T10:00:00Z\n");
        var imported = await PromoterProcess.RunAsync(["import", "churn", good, "--workspace", h.Workspace.Id.ToString()], environment: env);
        Assert.True(imported.ExitCode == ExitCodes.Ok, imported.Stderr);
        Assert.Contains("Imported 1 churn events", imported.Stdout, StringComparison.Ordinal);
    }

    private static Task<ChurnImportResult> ImportAsync(Loop.LoopHarness h, string csv) =>
        h.Server.InWorkspaceAsync(h.Workspace.Id, async sp =>
        {
            await using var stream = new MemoryStream(Encoding.UTF8.GetBytes(csv));
            return await sp.GetRequiredService<ChurnEventImporter>().ImportAsync(stream, null, CancellationToken.None);
        });
}
