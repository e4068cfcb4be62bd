using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Promoter.Cli;
using Promoter.Data;
using Promoter.Tests.Accounts;
using Promoter.Tests.Infrastructure;

namespace Promoter.Tests.Integrations.Delighted.Import;

public sealed partial class DelightedImportTests : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("promoter-delighted-").FullName;

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        Directory.Delete(_directory, recursive: true);
        return Task.CompletedTask;
    }

    public static TheoryData<DatabaseProvider, int> Sizes() => new()
    {
        { DatabaseProvider.Sqlite, 100_000 },
        { DatabaseProvider.Postgres, 100_000 },
    };

    [Theory]
    [MemberData(nameof(Sizes))]
    public async Task A_Delighted_export_imported_by_cli_and_by_upload_reproduces_the_nps_of_the_file_and_a_second_import_changes_nothing(
        DatabaseProvider provider, int rows)
    {
        // An endpoint listens for response events (never sent to: dispatch is off), so imports would have events to write.
        await using var server = await PromoterTestServer.StartAsync(provider, new() { Settings = { ["Webhooks:DispatchEnabled"] = "false" } });
        var ws = await server.CreateWorkspaceAsync("Delighted " + Guid.NewGuid().ToString("N")[..6]);
        using var api = server.CreateApiClient(ws.ApiKey);
        await TenantFixtures.CreateAsync(api, "/api/v1/webhooks", TenantFixtures.SampleWebhook());
        var viaCli = await SurveyAsync(api, "From the CLI");
        var viaUpload = await SurveyAsync(api, "From the upload");
        var file = DelightedExportFile.Write(_directory, rows);

        // The file's NPS as `promoter nps` computes it from the Score column (blank cells are skipped answers).
        var fromFile = await PromoterProcess.RunInProcessAsync("nps", file.Path, "--column", "Score", "--json");
        Assert.Equal(ExitCodes.Ok, fromFile.ExitCode);
        var cliNps = JsonDocument.Parse(fromFile.Stdout).RootElement;
        Assert.Equal((file.Detractors, file.Passives, file.Promoters),
            (cliNps.GetProperty("detractors").GetInt64(), cliNps.GetProperty("passives").GetInt64(), cliNps.GetProperty("promoters").GetInt64()));
        Assert.Equal(file.Nps, cliNps.GetProperty("nps").GetDouble(), 9);

        var env = Environment(server);
        var errors = Path.Combine(_directory, "errors.csv");
        var first = await PromoterProcess.RunAsync(["import", "delighted", file.Path, "--survey", viaCli.ToString(), "--errors", errors], environment: env);
        Assert.True(first.ExitCode == ExitCodes.Ok, first.Stderr);
        Assert.Contains($"Imported {file.Scored:N0} responses", first.Stdout, StringComparison.Ordinal);
        Assert.Contains($"linked to {file.DistinctEmails:N0} contacts", first.Stdout, StringComparison.Ordinal);
        Assert.Contains($"{file.WithoutScore:N0} row(s) without a score", first.Stderr, StringComparison.Ordinal);
        Assert.Single(await File.ReadAllLinesAsync(errors)); // the header only
        await AssertNpsAsync(api, viaCli, file);

        await AssertStoredAsync(server, ws.Id, viaCli, file);

        var again = await PromoterProcess.RunAsync(["import", "delighted", file.Path, "--survey", viaCli.ToString()], environment: env);
        Assert.True(again.ExitCode == ExitCodes.Ok, again.Stderr);
        Assert.Contains("Imported 0 responses", again.Stdout, StringComparison.Ordinal);
        Assert.Contains($"{file.Scored:N0} response(s) were already imported", again.Stderr, StringComparison.Ordinal);
        await AssertNpsAsync(api, viaCli, file);
        Assert.Equal(file.Scored, await ResponsesAsync(server, ws.Id, viaCli));

        // The same file through the dashboard's upload form into the other survey, then once more.
        using var browser = await server.SignInAsync(ws.OwnerEmail, ws.OwnerPassword);
        var (status, page) = await UploadAsync(browser, viaUpload, file.Path);
        Assert.True(status == HttpStatusCode.OK, page);
        Assert.Equal(file.Scored, Count(page, "imported"));
        Assert.Equal(file.WithoutScore, Count(page, "no-score"));
        await AssertNpsAsync(api, viaUpload, file);
        (status, page) = await UploadAsync(browser, viaUpload, file.Path);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal((0L, file.Scored), (Count(page, "imported"), Count(page, "already")));
        await AssertNpsAsync(api, viaUpload, file);
        Assert.Equal(file.Scored, await ResponsesAsync(server, ws.Id, viaUpload));

        await server.InWorkspaceAsync(ws.Id, async sp =>
        {
            // History is not news: no webhook events, no mail, no invitations, no follow-up cases or alerts queued.
            var db = sp.GetRequiredService<PromoterDb>();
            Assert.Equal((0, 0, 0), (await db.WebhookEvents.CountAsync(), await db.OutboundEmails.CountAsync(), await db.Invitations.CountAsync()));
            Assert.Equal((0, 0), (await db.LoopQueue.CountAsync(), await db.Cases.CountAsync()));
            Assert.Equal(file.DistinctEmails, await db.Contacts.CountAsync());
            return 0;
        });
        await TenantFixtures.CreateAsync(api, "/api/v1/responses", new { surveyId = viaCli, score = 9 });
        Assert.Equal(1, await server.InWorkspaceAsync(ws.Id, sp => sp.GetRequiredService<PromoterDb>().WebhookEvents.CountAsync()));
    }

    [Fact]
    public async Task Hostile_rows_are_reported_by_line_and_field_nothing_is_stored_and_user_text_is_shown_escaped()
    {
        await using var server = await PromoterTestServer.StartAsync(DatabaseProvider.Sqlite);
        var ws = await server.CreateWorkspaceAsync("Hostile " + Guid.NewGuid().ToString("N")[..6]);
        using var api = server.CreateApiClient(ws.ApiKey);
        var survey = await SurveyAsync(api, "Hostile");
        var path = Path.Combine(_directory, "hostile.csv");
        await File.WriteAllTextAsync(path,
            "Response ID,Score,Comment,Response timestamp,Email,Name,Tags,Notes,Survey type,Plan\n" +
            "1,9,<script>alert(1)</script>,2025-06-01 10:00:00 +0200,a@example.com,\"Pat\r\nBcc: evil@example.com\",vip,,nps,pro\n" + // line 2: fine
            "2,11,,2025-06-01T10:00:00Z,,,,,nps,\n" + // 4 (2-3 are line 2's record)
            "3,7.5,,2025-06-01T10:00:00Z,,,,,nps,\n" +
            "4,<script>x</script>,,2025-06-01T10:00:00Z,,,,,nps,\n" +
            "5,8,,yesterday,,,,,nps,\n" +
            "6,8,,2025-02-30 10:00:00 +0000,,,,,nps,\n" +
            "7,8,,2999-01-01T00:00:00Z,,,,,nps,\n" +
            "8,8,,2025-06-01T10:00:00Z,\"x@example.com\r\nBcc: evil@example.com\",,,,nps,\n" +
            "9,8,,2025-06-01T10:00:00Z,,,,,csat,\n" +
            "1,8,,2025-06-02T10:00:00Z,,,,,nps,\n" +
            "10,8,,2025-06-01T10:00:00Z,,,,,nps," + new string('x', 300) + "\n" +
            "11 ; DROP,8,,2025-06-01T10:00:00Z,,,,,nps,\n" +
            "12,,blank score: left out,2025-06-01T10:00:00Z,,,,,nps,\n" +
            "13,0,\u202Eevil\u202C,2025-06-01T10:00:00Z,,,,\"note one\nnote two\",nps,\n");
        (long, string)[] expected =
        [
            (4, "score"), (5, "score"), (6, "score"), (7, "created_at"), (8, "created_at"), (9, "created_at"), (10, "email"),
            (12, "survey_type"), (13, "response_id"), (14, "Plan"), (15, "response_id"),
        ];

        var env = Environment(server);
        var errors = Path.Combine(_directory, "hostile-errors.csv");
        var strict = await PromoterProcess.RunAsync(["import", "delighted", path, "--survey", survey.ToString(), "--errors", errors], environment: env);
        Assert.Equal(ExitCodes.Failed, strict.ExitCode);
        Assert.Contains("nothing was imported", strict.Stderr, StringComparison.Ordinal);
        Assert.Equal(expected, Reported(errors));
        Assert.Equal(0, await ResponsesAsync(server, ws.Id, survey));

        using var browser = await server.SignInAsync(ws.OwnerEmail, ws.OwnerPassword);
        var (status, page) = await UploadAsync(browser, survey, path);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Equal(expected.Length, Count(page, "rejected"));
        Assert.Contains("&lt;script&gt;x&lt;/script&gt;", page, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>x", page, StringComparison.Ordinal);
        Assert.Equal(0, await ResponsesAsync(server, ws.Id, survey));

        (status, page) = await UploadAsync(browser, survey, path, skipInvalid: true);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal((2L, 1L, (long)expected.Length), (Count(page, "imported"), Count(page, "no-score"), Count(page, "rejected")));
        await server.InWorkspaceAsync(ws.Id, async sp =>
        {
            var db = sp.GetRequiredService<PromoterDb>();
            var stored = await db.Responses.OrderBy(r => r.SubmissionId).ToListAsync();
            Assert.Equal(["delighted:1", "delighted:13"], stored.Select(r => r.SubmissionId));
            Assert.Equal("<script>alert(1)</script>", stored[0].Comment);
            Assert.Equal(new DateTime(2025, 6, 1, 8, 0, 0, DateTimeKind.Utc), stored[0].RespondedAt);
            Assert.Equal("evil", stored[1].Comment); // bidi overrides removed, as the intake API does
            var properties = JsonDocument.Parse(stored[0].Properties!).RootElement;
            Assert.Equal(("pro", "vip"), (properties.GetProperty("Plan").GetString(), properties.GetProperty("delighted.tags").GetString()));
            Assert.Equal("note one\nnote two", JsonDocument.Parse(stored[1].Properties!).RootElement.GetProperty("delighted.notes").GetString());
            var contact = await db.Contacts.SingleAsync();
            Assert.Equal("Pat Bcc: evil@example.com", contact.Name); // one line: the header break cannot survive
            return 0;
        });

        var dashboard = await browser.GetStringAsync($"/?survey={survey}&from=2025-01-01&to=2025-12-31");
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", dashboard, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>alert(1)", dashboard, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Times_in_every_export_form_land_on_the_same_instant_and_keys_without_ids_stay_stable()
    {
        await using var server = await PromoterTestServer.StartAsync(DatabaseProvider.Postgres);
        var ws = await server.CreateWorkspaceAsync("Times " + Guid.NewGuid().ToString("N")[..6]);
        using var api = server.CreateApiClient(ws.ApiKey);
        var survey = await SurveyAsync(api, "Times");
        var path = Path.Combine(_directory, "times.csv");
        // No Response ID column: two identical anonymous answers are two responses, and stay two on re-import.
        await File.WriteAllTextAsync(path,
            "score,comment,created_at,person_email\n" +
            "9,a,2025-03-01 12:00:00 +0100,\n" +
            "9,a,2025-03-01T11:00:00Z,\n" +
            "9,a,1740826800,\n" +
            "10,local,2025-03-01 12:00:00,p@example.com\n");

        var env = Environment(server);
        var first = await PromoterProcess.RunAsync(["import", "delighted", path, "--survey", survey.ToString(), "--time-zone", "Europe/Stockholm"], environment: env);
        Assert.True(first.ExitCode == ExitCodes.Ok, first.Stderr);
        var again = await PromoterProcess.RunAsync(["import", "delighted", path, "--survey", survey.ToString(), "--time-zone", "Europe/Stockholm"], environment: env);
        Assert.Contains("4 response(s) were already imported", again.Stderr, StringComparison.Ordinal);
        await server.InWorkspaceAsync(ws.Id, async sp =>
        {
            var db = sp.GetRequiredService<PromoterDb>();
            var times = await db.Responses.OrderBy(r => r.Id).Select(r => r.RespondedAt).ToListAsync();
            Assert.Equal(4, times.Count);
            Assert.All(times, t => Assert.Equal(new DateTime(2025, 3, 1, 11, 0, 0, DateTimeKind.Utc), t));
            Assert.Equal(4, (await db.Responses.Select(r => r.SubmissionId).Distinct().ToListAsync()).Count);
            return 0;
        });

        var usage = await PromoterProcess.RunAsync(["import", "delighted", path, "--survey", survey.ToString(), "--time-zone", "Mars/Olympus"], environment: env);
        Assert.Equal(ExitCodes.Usage, usage.ExitCode);
        var badSurvey = await PromoterProcess.RunAsync(["import", "delighted", path, "--survey", "nope"], environment: env);
        Assert.Equal(ExitCodes.Usage, badSurvey.ExitCode);
        var noHeader = Path.Combine(_directory, "no-score.csv");
        await File.WriteAllTextAsync(noHeader, "Response ID,Comment,Response timestamp,Plan,plan\n1,x,2025-01-01T00:00:00Z,a,b\n");
        var broken = await PromoterProcess.RunAsync(["import", "delighted", noHeader, "--survey", survey.ToString()], environment: env);
        Assert.Equal(ExitCodes.Failed, broken.ExitCode);
        Assert.Contains("no 'Score' column", broken.Stderr, StringComparison.Ordinal);
        Assert.Contains("'Plan' and 'plan'", broken.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_upload_refuses_another_workspaces_survey_and_members_without_write_access()
    {
        await using var server = await PromoterTestServer.StartAsync(DatabaseProvider.Sqlite);
        var a = await server.CreateWorkspaceAsync("A " + Guid.NewGuid().ToString("N")[..6]);
        var b = await server.CreateWorkspaceAsync("B " + Guid.NewGuid().ToString("N")[..6]);
        using var apiB = server.CreateApiClient(b.ApiKey);
        using var apiA = server.CreateApiClient(a.ApiKey);
        await SurveyAsync(apiA, "A's own");
        var surveyOfB = await SurveyAsync(apiB, "B's survey");
        var path = Path.Combine(_directory, "small.csv");
        await File.WriteAllTextAsync(path, "Response ID,Score,Response timestamp\n1,9,2025-01-01T00:00:00Z\n");

        using var owner = await server.SignInAsync(a.OwnerEmail, a.OwnerPassword);
        var (status, page) = await UploadAsync(owner, surveyOfB, path);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("Choose a survey of this workspace", page, StringComparison.Ordinal);
        Assert.Equal(0, await ResponsesAsync(server, b.Id, surveyOfB));

        var (email, password) = await server.AddMemberAsync(a.Id, global::Promoter.Accounts.Role.Viewer);
        using var viewer = await server.SignInAsync(email, password);
        var form = await viewer.GetStringAsync("/import/delighted");
        Assert.Contains("responses:write", form, StringComparison.Ordinal);
        using var content = Multipart(HtmlForms.AntiforgeryToken(form), surveyOfB, path, skipInvalid: false);
        using var refused = await viewer.PostAsync("/import/delighted", content);
        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        Assert.Equal("/forbidden", refused.Headers.Location?.AbsolutePath);
        Assert.Equal(0, await ResponsesAsync(server, b.Id, surveyOfB));
    }

    private static List<(long, string)> Reported(string errorsFile)
    {
        using var reader = new StreamReader(errorsFile);
        var csv = new Promoter.Platform.Csv.CsvRecordReader(reader);
        Assert.Equal(["line", "field", "message", "value"], csv.ReadHeader(detectDelimiter: false)!.Select(h => h.TrimStart('\uFEFF')));
        var reported = new List<(long, string)>();
        while (csv.Read())
        {
            reported.Add((long.Parse(csv.Fields[0], CultureInfo.InvariantCulture), csv.Fields[1]));
        }

        return reported;
    }

    private static async Task AssertNpsAsync(HttpClient api, Guid survey, DelightedExportFile file)
    {
        var report = await api.GetFromJsonAsync<JsonElement>($"/api/v1/surveys/{survey}/nps");
        var summary = report.GetProperty("summary");
        Assert.Equal((file.Scored, file.Detractors, file.Passives, file.Promoters),
            (summary.GetProperty("n").GetInt64(), summary.GetProperty("detractors").GetInt64(), summary.GetProperty("passives").GetInt64(), summary.GetProperty("promoters").GetInt64()));
        Assert.Equal(file.Nps, summary.GetProperty("nps").GetDouble(), 6);
    }

    private static async Task AssertStoredAsync(PromoterTestServer server, Guid ws, Guid survey, DelightedExportFile file) =>
        await server.InWorkspaceAsync(ws, async sp =>
        {
            var db = sp.GetRequiredService<PromoterDb>();
            var stored = new long[11];
            foreach (var g in await db.Responses.Where(r => r.SurveyId == survey).GroupBy(r => r.Score).Select(g => new { g.Key, Count = g.LongCount() }).ToListAsync())
            {
                stored[g.Key] = g.Count;
            }

            Assert.Equal(file.Distribution, stored);
            // Row 1: Arabic comment; row 3: quoted comma and line break; row 5: no score; row 7: CRLF inside quotes.
            var sample = (await db.Responses.Where(r => r.SurveyId == survey && r.SubmissionId!.CompareTo("delighted:9000010") < 0).ToListAsync())
                .ToDictionary(r => int.Parse(r.SubmissionId!["delighted:900000".Length..], CultureInfo.InvariantCulture));
            Assert.Equal([0, 1, 2, 3, 4, 6, 7, 8, 9], sample.Keys.Order());
            Assert.Equal("الخدمة ممتازة، شكراً جزيلاً", sample[1].Comment);
            Assert.Equal("Bra, men \"dyr\"\nleverans", sample[3].Comment);
            Assert.Equal("Line one\nLine two, with a comma", sample[7].Comment);
            Assert.Equal("ar", sample[1].Language); // Delighted's locale property chose the language
            var properties = JsonDocument.Parse(sample[0].Properties!).RootElement;
            Assert.Equal("Pricing, Support", properties.GetProperty("delighted.tags").GetString());
            Assert.Equal("Called back on Monday.\nCustomer happy, closing.", properties.GetProperty("delighted.notes").GetString());
            Assert.Equal("email", properties.GetProperty("Delighted_Source").GetString());
            Assert.Equal("TH", properties.GetProperty("Country_ISO").GetString());
            Assert.Equal("https://app.delighted.com/r/r0", properties.GetProperty("delighted.permalink").GetString());
            return 0;
        });

    private static async Task<(HttpStatusCode Status, string Page)> UploadAsync(HttpClient browser, Guid survey, string path, bool skipInvalid = false)
    {
        var form = await browser.GetStringAsync("/import/delighted");
        using var content = Multipart(HtmlForms.AntiforgeryToken(form), survey, path, skipInvalid);
        using var response = await browser.PostAsync("/import/delighted", content);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static MultipartFormDataContent Multipart(string token, Guid survey, string path, bool skipInvalid)
    {
        var content = new MultipartFormDataContent
        {
            { new StringContent(token), "__RequestVerificationToken" },
            { new StringContent(survey.ToString()), "SurveyId" },
            { new StringContent(skipInvalid ? "true" : "false"), "SkipInvalid" },
        };
        var file = new StreamContent(File.OpenRead(path));
        file.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("text/csv");
        content.Add(file, "Export", Path.GetFileName(path));
        return content;
    }

    private static long Count(string page, string name) =>
        CountPattern().Matches(page).FirstOrDefault(m => m.Groups[1].Value == name) is { } m
            ? long.Parse(m.Groups[2].Value, NumberStyles.AllowThousands, CultureInfo.InvariantCulture)
            : throw new Xunit.Sdk.XunitException($"No '{name}' count on the page: {page}");

    [GeneratedRegex("data-count=\"([a-z-]+)\">([0-9,]+)<")]
    private static partial Regex CountPattern();

    private static Dictionary<string, string> Environment(PromoterTestServer server) => new()
    {
        ["Database__Provider"] = server.Provider.ToString(),
        ["Database__ConnectionString"] = server.ConnectionString,
    };

    private static async Task<Guid> SurveyAsync(HttpClient api, string name) =>
        Guid.Parse(await TenantFixtures.CreateAsync(api, "/api/v1/surveys", TenantFixtures.SampleSurvey(name)));

    private static Task<long> ResponsesAsync(PromoterTestServer server, Guid ws, Guid survey) =>
        server.InWorkspaceAsync(ws, async sp => await sp.GetRequiredService<PromoterDb>().Responses.LongCountAsync(r => r.SurveyId == survey));
}
