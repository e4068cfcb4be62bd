using System.Data.Common;
using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Promoter.Cli;
using Promoter.Collect;
using Promoter.Core;
using Promoter.Data;
using Promoter.Distribution.Invitations;
using Promoter.Tests.Accounts;
using Promoter.Tests.Infrastructure;

namespace Promoter.Tests.Collect;

/// <summary>A generated import file and what it should produce.</summary>
internal sealed class ImportFile
{
    public const string Header = "Score,comment,responded_at,EMAIL,name,locale,language,channel,team_member,touchpoint,plan,property.region";

    public required string Path { get; init; }
    public required long[] Distribution { get; init; }
    public required int Rows { get; init; }
    public required int RowsWithEmail { get; init; }
    public required int DistinctEmails { get; init; }

    public static ImportFile Write(string directory, int rows, Func<int, string?>? replaceLine = null)
    {
        var random = new Random(7);
        var path = System.IO.Path.Combine(directory, $"import-{rows}-{Guid.NewGuid():N}.csv");
        var distribution = new long[11];
        var emails = new HashSet<string>(StringComparer.Ordinal);
        var withEmail = 0;
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false));
        writer.Write(Header + "\r\n");
        var line = 1; // physical lines: a quoted comment may span two
        for (var i = 0; i < rows; i++)
        {
            line++;
            if (replaceLine?.Invoke(line) is { } replaced)
            {
                writer.Write(replaced + "\r\n");
                continue;
            }

            var score = random.Next(0, 11);
            distribution[score]++;
            var email = random.Next(10) < 7 ? $"person{random.Next(rows / 4 + 1)}@example.com" : "";
            if (email.Length > 0)
            {
                withEmail++;
                emails.Add(email);
            }

            var comment = (i % 5) switch
            {
                0 => "",
                1 => "\"Slow, but \"\"friendly\"\"\nstaff\"",
                2 => "خدمة ممتازة",
                3 => "บริการดีมาก",
                _ => "=HYPERLINK(\"\"x\"\")".Insert(0, "\"") + "\"",
            };
            line += comment.Count(c => c == '\n');
            var at = new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddMinutes(random.Next(0, 600_000));
            writer.Write(string.Create(CultureInfo.InvariantCulture,
                $"{score},{comment},{at:yyyy-MM-dd'T'HH:mm:ss'Z'},{email},{(email.Length > 0 ? "Pat" : "")},,{(i % 2 == 0 ? "en" : "sv")},,agent{i % 4},,pro,EMEA\r\n"));
        }

        return new ImportFile { Path = path, Distribution = distribution, Rows = rows, RowsWithEmail = withEmail, DistinctEmails = emails.Count };
    }
}

public sealed class ImportTests : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("promoter-import-").FullName;

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        Directory.Delete(_directory, recursive: true);
        return Task.CompletedTask;
    }

    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task A_100k_row_file_imports_every_row_links_contacts_and_keeps_the_nps(DatabaseProvider provider)
    {
        await using var server = await PromoterTestServer.StartAsync(provider);
        var (ws, survey) = await SurveyAsync(server);
        var file = ImportFile.Write(_directory, 100_000);
        var indexes = await IndexesAsync(server);

        var result = await ImportAsync(server, ws, survey, file.Path);

        // A first import on SQLite rebuilds the responses indexes and triggers after the rows: they must all be back, unchanged.
        Assert.Equal(indexes, await IndexesAsync(server));
        Assert.True(result.Committed);
        Assert.Equal(100_000, result.Imported);
        Assert.Equal(0, result.Rejected);
        Assert.Equal(file.DistinctEmails, result.Contacts);
        await server.InWorkspaceAsync(ws, async sp =>
        {
            var db = sp.GetRequiredService<PromoterDb>();
            var stored = new long[11];
            foreach (var g in await db.Responses.GroupBy(r => r.Score).Select(g => new { g.Key, Count = g.LongCount() }).ToListAsync())
            {
                stored[g.Key] = g.Count;
            }

            Assert.Equal(file.Distribution, stored);
            var fromFile = NpsStatistics.Estimate(ScoreDistribution.FromCounts(file.Distribution).ToCounts());
            var fromDb = NpsStatistics.Estimate(ScoreDistribution.FromCounts(stored).ToCounts());
            Assert.Equal(fromFile.Nps, fromDb.Nps);

            Assert.Equal(file.DistinctEmails, await db.Contacts.CountAsync());
            Assert.Equal(file.RowsWithEmail, await db.Responses.CountAsync(r => r.ContactId != null));
            var linked = await (from r in db.Responses
                                join c in db.Contacts on r.ContactId equals c.Id
                                where c.EmailKey == "person1@example.com"
                                select c.Id).Distinct().ToListAsync();
            Assert.True(linked.Count <= 1);

            var sample = await db.Responses.OrderBy(r => r.Id).Take(5).ToListAsync();
            Assert.All(sample, r => Assert.Equal(Channels.Import, r.Channel));
            Assert.All(sample, r => Assert.Equal("""{"plan":"pro","region":"EMEA"}""", r.Properties));
            Assert.Equal("Slow, but \"friendly\"\nstaff", sample[1].Comment);
            Assert.Equal("=HYPERLINK(\"x\")", sample[4].Comment);
            Assert.Equal(DateTimeKind.Utc, sample[0].RespondedAt.Kind);
            Assert.Equal(1, await db.AuditEntries.CountAsync(a => a.Action == "responses.imported"));
            return 0;
        });

        if (provider == DatabaseProvider.Sqlite)
        {
            // The table grew from nothing: the import refreshed SQLite's planner statistics, and the server's own
            // connections plan with them (without, "these contacts' recent responses" scans the workspace).
            var plan = await server.InWorkspaceAsync(ws, sp =>
            {
                var db = sp.GetRequiredService<PromoterDb>();
                return QueryPlans.ExplainAsync(db, InvitationScheduler.RespondedSince(db, [Guid.NewGuid()], new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc)));
            });
            Assert.Contains("USING INDEX ix_responses_contact_id_responded_at", plan);
        }
    }

    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task A_second_import_links_existing_contacts_fills_their_gaps_and_creates_only_new_ones(DatabaseProvider provider)
    {
        await using var server = await PromoterTestServer.StartAsync(provider);
        var (ws, survey) = await SurveyAsync(server);
        var first = Path.Combine(_directory, "first.csv");
        var second = Path.Combine(_directory, "second.csv");
        await File.WriteAllTextAsync(first, "score,responded_at,email,name\n9,2025-01-01T00:00:00Z,a@example.com,\n3,2025-01-02T00:00:00Z,b@example.com,Bea\n");
        await File.WriteAllTextAsync(second,
            "score,responded_at,email,name\n10,2025-02-01T00:00:00Z,A@Example.com,Ann\n7,2025-02-02T00:00:00Z,c@example.com,Cy\n8,2025-02-03T00:00:00Z,b@example.com,Other\n");

        Assert.Equal(2, (await ImportAsync(server, ws, survey, first)).Contacts);
        var indexes = await IndexesAsync(server);
        var result = await ImportAsync(server, ws, survey, second);

        Assert.Equal((3L, 3L), (result.Imported, result.Contacts));
        Assert.Equal(indexes, await IndexesAsync(server));
        await server.InWorkspaceAsync(ws, async sp =>
        {
            var db = sp.GetRequiredService<PromoterDb>();
            var contacts = await db.Contacts.OrderBy(c => c.EmailKey).Select(c => new { c.Id, c.EmailKey, c.Name }).ToListAsync();
            Assert.Equal([("a@example.com", "Ann"), ("b@example.com", "Bea"), ("c@example.com", "Cy")],
                contacts.Select(c => (c.EmailKey!, c.Name!)));
            var linked = await db.Responses.GroupBy(r => r.ContactId).Select(g => new { g.Key, Count = g.Count() }).ToListAsync();
            Assert.Equal([2, 2, 1], contacts.Select(c => linked.Single(l => l.Key == c.Id).Count));
            return 0;
        });
    }

    [Fact]
    public async Task One_bad_row_imports_nothing_and_names_its_line()
    {
        await using var server = await PromoterTestServer.StartAsync(DatabaseProvider.Sqlite);
        var (ws, survey) = await SurveyAsync(server);
        // The bad row comes after tens of thousands of good ones have been written inside the transaction.
        var file = ImportFile.Write(_directory, 100_000, line => line == 60_001 ? "7.5,late,2025-01-01T00:00:00Z,,,,,,,,," : null);

        var result = await ImportAsync(server, ws, survey, file.Path);

        Assert.False(result.Committed);
        Assert.Equal(0, result.Imported);
        Assert.Equal(1, result.Rejected);
        var error = Assert.Single(result.FirstErrors);
        Assert.Equal((60_001L, "score", "7.5"), (error.Line, error.Field, error.Value));
        Assert.Equal((0, 0, 0), await CountsAsync(server, ws));
    }

    [Fact]
    public async Task Cancelling_midway_leaves_nothing()
    {
        await using var server = await PromoterTestServer.StartAsync(DatabaseProvider.Sqlite);
        var (ws, survey) = await SurveyAsync(server);
        var file = ImportFile.Write(_directory, 100_000);
        var indexes = await IndexesAsync(server);
        var progress = new ImportProgress();
        using var cancel = new CancellationTokenSource();
        var watcher = Task.Run(async () =>
        {
            while (progress.RowsWritten == 0)
            {
                await Task.Delay(1);
            }

            await cancel.CancelAsync();
        });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => ImportAsync(server, ws, survey, file.Path, progress: progress, ct: cancel.Token));
        await watcher;
        Assert.True(progress.RowsWritten > 0);
        Assert.Equal((0, 0, 0), await CountsAsync(server, ws));
        Assert.Equal(indexes, await IndexesAsync(server));
    }

    public static TheoryData<string, string, string> HostileRows() => new()
    {
        { "decimal score", "7.5,,2025-01-01T00:00:00Z,,,", "score" },
        { "Arabic-Indic digit", "٧,,2025-01-01T00:00:00Z,,,", "score" },
        { "eleven", "11,,2025-01-01T00:00:00Z,,,", "score" },
        { "empty score", ",fine,2025-01-01T00:00:00Z,,,", "score" },
        { "padded zero", "07,,2025-01-01T00:00:00Z,,,", "score" },
        { "bad email", "9,,2025-01-01T00:00:00Z,not-an-email,,", "email" },
        { "name without email", "9,,2025-01-01T00:00:00Z,,Pat,", "email" },
        { "time without offset", "9,,2025-01-01T00:00:00,,,", "responded_at" },
        { "time in the future", "9,,2999-01-01T00:00:00Z,,,", "responded_at" },
        { "missing time", "9,,,,,", "responded_at" },
        { "bad channel", "9,,2025-01-01T00:00:00Z,,,Face Book", "channel" },
        { "too many fields", "9,,2025-01-01T00:00:00Z,,,,extra", "(row)" },
        { "comment over 5,000 characters", $"9,{new string('x', 5_001)},2025-01-01T00:00:00Z,,,", "comment" },
    };

    [Theory]
    [MemberData(nameof(HostileRows))]
    public async Task Hostile_rows_are_refused_by_line_and_field(string name, string row, string field)
    {
        var path = Path.Combine(_directory, "hostile.csv");
        await File.WriteAllTextAsync(path, "score,comment,responded_at,email,name,channel\n9,=cmd|' /C calc'!A0,2025-01-01T00:00:00Z,a@example.com,,\n" + row + "\n");
        var result = await WithServerAsync(async (server, ws, survey) => await ImportAsync(server, ws, survey, path));
        Assert.False(result.Committed);
        Assert.Equal(1, result.Rejected);
        Assert.Contains(result.FirstErrors, e => e.Line == 3 && e.Field == field);
        Assert.True(result.FirstErrors.All(e => e.Line == 3), name);
    }

    [Fact]
    public async Task Skip_invalid_imports_the_rest_and_keeps_formula_comments_verbatim()
    {
        var path = Path.Combine(_directory, "skip.csv");
        await File.WriteAllTextAsync(path,
            "score,comment,responded_at,email\n9,=cmd|' /C calc'!A0,2025-01-01T00:00:00Z,a@example.com\n11,,2025-01-01T00:00:00Z,\n+1,x,2025-01-01T00:00:00Z,\n3,@SUM(1),2025-01-02T10:00:00+02:00,A@Example.com\n");
        await WithServerAsync(async (server, ws, survey) =>
        {
            var result = await ImportAsync(server, ws, survey, path, skipInvalid: true);
            Assert.True(result.Committed);
            Assert.Equal((2L, 2L), (result.Imported, result.Rejected));
            Assert.Equal([3L, 4L], result.FirstErrors.Select(e => e.Line));
            await server.InWorkspaceAsync(ws, async sp =>
            {
                var db = sp.GetRequiredService<PromoterDb>();
                var rows = await db.Responses.OrderBy(r => r.Id).ToListAsync();
                Assert.Equal(["=cmd|' /C calc'!A0", "@SUM(1)"], rows.Select(r => r.Comment));
                Assert.Equal(new DateTime(2025, 1, 2, 8, 0, 0, DateTimeKind.Utc), rows[1].RespondedAt);
                Assert.Single(rows.Select(r => r.ContactId).Distinct());
                Assert.Equal(1, await db.Contacts.CountAsync());
                return 0;
            });
            return result;
        });
    }

    [Theory]
    [InlineData("comment,responded_at\nfine,2025-01-01T00:00:00Z\n", "no 'score' column")]
    [InlineData("score,comment\n9,fine\n", "no 'responded_at' column")]
    [InlineData("score,responded_at,score\n9,2025-01-01T00:00:00Z,9\n", "appears twice")]
    [InlineData("score,responded_at,bad key!\n9,2025-01-01T00:00:00Z,x\n", "not a valid property name")]
    [InlineData("score,responded_at,comment\n9,2025-01-01T00:00:00Z,\"never closed\n", "not closed")]
    [InlineData("", "empty")]
    public async Task A_broken_file_is_refused_whole(string content, string message)
    {
        var path = Path.Combine(_directory, "broken.csv");
        await File.WriteAllTextAsync(path, content);
        await WithServerAsync(async (server, ws, survey) =>
        {
            var error = await Assert.ThrowsAsync<ImportFileException>(() => ImportAsync(server, ws, survey, path));
            Assert.Contains(message, error.Message, StringComparison.Ordinal);
            Assert.Equal((0, 0, 0), await CountsAsync(server, ws));
            return 0;
        });
    }

    [Fact]
    public async Task Fifty_one_property_columns_are_refused_but_fifty_are_fine()
    {
        var fifty = string.Join(",", Enumerable.Range(1, 50).Select(i => $"p{i}"));
        var path = Path.Combine(_directory, "props.csv");
        await File.WriteAllTextAsync(path, $"score,responded_at,{fifty},p51\n9,2025-01-01T00:00:00Z{new string(',', 51)}\n");
        await File.WriteAllTextAsync(path + ".ok", $"score,responded_at,{fifty}\n9,2025-01-01T00:00:00Z,{string.Join(",", Enumerable.Range(1, 50).Select(i => $"v{i}"))}\n");
        await WithServerAsync(async (server, ws, survey) =>
        {
            var error = await Assert.ThrowsAsync<ImportFileException>(() => ImportAsync(server, ws, survey, path));
            Assert.Contains("51 property columns", error.Message, StringComparison.Ordinal);
            var ok = await ImportAsync(server, ws, survey, path + ".ok");
            Assert.Equal(1, ok.Imported);
            return 0;
        });
    }

    [Fact]
    public async Task The_cli_reports_rejected_lines_writes_an_errors_file_and_uses_the_exit_codes()
    {
        await using var server = await PromoterTestServer.StartAsync(DatabaseProvider.Sqlite);
        var (_, survey) = await SurveyAsync(server);
        var env = new Dictionary<string, string>
        {
            ["Database__Provider"] = "Sqlite",
            ["Database__ConnectionString"] = server.ConnectionString,
        };
        var path = Path.Combine(_directory, "cli.csv");
        await File.WriteAllTextAsync(path, "score,responded_at,comment\n9,2025-01-01T00:00:00Z,good\n7.5,2025-01-01T00:00:00Z,=1+1\n10,2025-01-01T00:00:00Z,great\n");
        var errors = Path.Combine(_directory, "errors.csv");

        var strict = await PromoterProcess.RunAsync(["import", "responses", path, "--survey", survey.ToString(), "--errors", errors], environment: env);
        Assert.Equal(ExitCodes.Failed, strict.ExitCode);
        Assert.Contains("line 3, score:", strict.Stderr, StringComparison.Ordinal);
        Assert.Contains("nothing was imported", strict.Stderr, StringComparison.Ordinal);
        var errorLines = await File.ReadAllLinesAsync(errors);
        Assert.Equal("line,field,message,value", errorLines[0].TrimStart('\uFEFF'));
        Assert.StartsWith("3,score,", errorLines[1], StringComparison.Ordinal);
        Assert.Equal(0, await ResponsesAsync(server));

        var skipping = await PromoterProcess.RunAsync(["import", "responses", path, "--survey", survey.ToString(), "--skip-invalid"], environment: env);
        Assert.True(skipping.ExitCode == ExitCodes.Ok, skipping.Stderr);
        Assert.Contains("Imported 2 responses", skipping.Stdout, StringComparison.Ordinal);
        Assert.Contains("skipped 1 invalid row", skipping.Stderr, StringComparison.Ordinal);
        Assert.Equal(2, await ResponsesAsync(server));

        var wrongWorkspace = await PromoterProcess.RunAsync(["import", "responses", path, "--survey", Guid.NewGuid().ToString()], environment: env);
        Assert.Equal(ExitCodes.Failed, wrongWorkspace.ExitCode);
        Assert.Contains("No survey with id", wrongWorkspace.Stderr, StringComparison.Ordinal);

        var usage = await PromoterProcess.RunAsync(["import", "responses", path, "--survey", "not-a-guid"], environment: env);
        Assert.Equal(ExitCodes.Usage, usage.ExitCode);
        var missing = await PromoterProcess.RunAsync(["import", "responses", path], environment: env);
        Assert.Equal(ExitCodes.Usage, missing.ExitCode);
    }

    private static async Task<List<string>> IndexesAsync(PromoterTestServer server)
    {
        await using var connection = server.Provider == DatabaseProvider.Sqlite
            ? (DbConnection)new Microsoft.Data.Sqlite.SqliteConnection(server.ConnectionString)
            : new Npgsql.NpgsqlConnection(server.ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = server.Provider == DatabaseProvider.Sqlite
            ? "SELECT type || ' ' || name || ' ' || COALESCE(sql, '') FROM sqlite_master WHERE type IN ('index', 'trigger') AND tbl_name = 'responses' ORDER BY name"
            : "SELECT indexname || ' ' || indexdef FROM pg_indexes WHERE tablename = 'responses' ORDER BY indexname";
        var names = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            names.Add(reader.GetString(0));
        }

        Assert.NotEmpty(names);
        return names;
    }

    private static async Task<int> ResponsesAsync(PromoterTestServer server)
    {
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection(server.ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM responses";
        return Convert.ToInt32(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    private static async Task<(Guid Workspace, Guid Survey)> SurveyAsync(PromoterTestServer server)
    {
        var ws = await server.CreateWorkspaceAsync("Import " + Guid.NewGuid().ToString("N")[..6]);
        using var api = server.CreateApiClient(ws.ApiKey);
        return (ws.Id, Guid.Parse(await TenantFixtures.CreateAsync(api, "/api/v1/surveys", TenantFixtures.SampleSurvey("Imported"))));
    }

    private static async Task<T> WithServerAsync<T>(Func<PromoterTestServer, Guid, Guid, Task<T>> test)
    {
        await using var server = await PromoterTestServer.StartAsync(DatabaseProvider.Sqlite);
        var (ws, survey) = await SurveyAsync(server);
        return await test(server, ws, survey);
    }

    private static Task<ImportResult> ImportAsync(PromoterTestServer server, Guid ws, Guid survey, string path, bool skipInvalid = false,
        ImportProgress? progress = null, CancellationToken ct = default) =>
        server.InWorkspaceAsync(ws, async sp =>
        {
            await using var stream = File.OpenRead(path);
            return await sp.GetRequiredService<ResponseImporter>()
                .ImportAsync(stream, new ImportRequest { SurveyId = survey, SkipInvalid = skipInvalid, Progress = progress }, ct);
        });

    private static Task<(int Responses, int Contacts, int Audits)> CountsAsync(PromoterTestServer server, Guid ws) =>
        server.InWorkspaceAsync(ws, async sp =>
        {
            var db = sp.GetRequiredService<PromoterDb>();
            return (await db.Responses.CountAsync(), await db.Contacts.CountAsync(),
                await db.AuditEntries.CountAsync(a => a.Action == "responses.imported"));
        });
}
