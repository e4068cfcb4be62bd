using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using Promoter.Data;
using Promoter.Distribution.Batches;
using Promoter.Accounts;
using Promoter.Distribution.Contacts;
using Promoter.Platform.Email;
using Promoter.Tests.Infrastructure;

namespace Promoter.Tests.Contacts;

/// <summary>One-off batch sends: filtered recipients, suppression recorded, a durable job that resumes after a crash, delivery over SMTP.</summary>
public sealed class BatchSendTests
{
    private static Dictionary<string, string?> QuietWorkers(int chunk) => new()
    {
        ["BatchSends:Enabled"] = "false",
        ["BatchSends:ChunkSize"] = chunk.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Email:DispatchEnabled"] = "false",
        ["Distribution:RecurringEnabled"] = "false",
        // The real clock: without this, mail queued between 21:00 and 08:00 UTC would wait for the morning.
        ["Distribution:QuietHoursStart"] = "0",
        ["Distribution:QuietHoursEnd"] = "0",
    };

    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task A_filtered_batch_invites_each_matching_contact_once_and_records_the_unsubscribed(DatabaseProvider provider)
    {
        await using var server = await PromoterTestServer.StartAsync(provider, new() { Settings = QuietWorkers(40) });
        var (ws, api, survey) = await SeedAsync(server, 150);
        (await api.PostAsJsonAsync("/api/v1/unsubscribes", new { email = "person0003@example.com" })).EnsureSuccessStatusCode();

        using var started = await api.PostAsJsonAsync("/api/v1/batch-sends", new { surveyId = survey, name = "Gold <b>customers</b>", filter = new { property = "plan:gold" } });
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var body = await started.Content.ReadFromJsonAsync<JsonElement>();
        var id = body.GetProperty("id").GetGuid();
        Assert.Equal((50, "queued"), (body.GetProperty("planned").GetInt32(), body.GetProperty("status").GetString()));

        var chunks = await server.Services.GetRequiredService<BatchSendRunner>().RunDueAsync(CancellationToken.None);
        Assert.Equal(2, chunks); // 40 + 10

        var progress = await api.GetFromJsonAsync<JsonElement>($"/api/v1/batch-sends/{id}");
        Assert.Equal(("done", 49, 1), (progress.GetProperty("status").GetString(), progress.GetProperty("queued").GetInt32(), progress.GetProperty("skipped").GetInt32()));
        Assert.Equal(1, progress.GetProperty("invitations").GetProperty("suppressed").GetInt32());
        Assert.Equal(49, progress.GetProperty("invitations").GetProperty("scheduled").GetInt32());

        var invited = await server.InWorkspaceAsync(ws, sp => sp.GetRequiredService<PromoterDb>().Invitations.AsNoTracking()
            .Where(i => i.SendId == id).Join(sp.GetRequiredService<PromoterDb>().Contacts, i => i.ContactId, c => c.Id, (i, c) => c.Properties).ToListAsync());
        Assert.Equal(50, invited.Count);
        Assert.All(invited, p => Assert.Contains("\"plan\":\"gold\"", p, StringComparison.Ordinal));
        Assert.Equal(49, await server.InWorkspaceAsync(ws, sp => sp.GetRequiredService<PromoterDb>().OutboundEmails.CountAsync()));

        // Running again finds nothing to do: the job is finished.
        Assert.Equal(0, await server.Services.GetRequiredService<BatchSendRunner>().RunDueAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_job_left_by_a_crashed_node_is_resumed_after_its_lease_without_inviting_anyone_twice()
    {
        var clock = new FakeTimeProvider(TimeProvider.System.GetUtcNow());
        await using var server = await PromoterTestServer.StartAsync(DatabaseProvider.Sqlite, new() { Clock = clock, Settings = QuietWorkers(25) });
        var (ws, api, survey) = await SeedAsync(server, 100);
        var id = (await (await api.PostAsJsonAsync("/api/v1/batch-sends", new { surveyId = survey })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var runner = server.Services.GetRequiredService<BatchSendRunner>();

        // The node "dies" right after committing its first chunk, holding the lease.
        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            runner.RunToEndAsync(id, ws, job => throw new InvalidOperationException("crash after chunk " + job.Queued), CancellationToken.None));
        var halfway = await api.GetFromJsonAsync<JsonElement>($"/api/v1/batch-sends/{id}");
        Assert.Equal(("running", 25), (halfway.GetProperty("status").GetString(), halfway.GetProperty("queued").GetInt32()));

        // Nobody takes it over while the lease is alive…
        Assert.Equal(0, await runner.RunDueAsync(CancellationToken.None));
        // …and any node finishes it once the lease has lapsed.
        clock.Advance(TimeSpan.FromSeconds(61));
        Assert.Equal(4, await runner.RunDueAsync(CancellationToken.None)); // three full chunks, then an empty one that finishes the job

        var done = await api.GetFromJsonAsync<JsonElement>($"/api/v1/batch-sends/{id}");
        Assert.Equal(("done", 100), (done.GetProperty("status").GetString(), done.GetProperty("queued").GetInt32()));
        var perContact = await server.InWorkspaceAsync(ws, sp => sp.GetRequiredService<PromoterDb>().Invitations.AsNoTracking()
            .Where(i => i.SendId == id).GroupBy(i => i.ContactId).Select(g => g.Count()).ToListAsync());
        Assert.Equal(100, perContact.Count);
        Assert.All(perContact, n => Assert.Equal(1, n));
    }

    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task Cancelling_a_running_batch_stops_it_and_no_mail_of_it_leaves_afterwards(DatabaseProvider provider)
    {
        await using var server = await PromoterTestServer.StartAsync(provider, new() { Settings = QuietWorkers(25) });
        var (ws, api, survey) = await SeedAsync(server, 100);
        var id = (await (await api.PostAsJsonAsync("/api/v1/batch-sends", new { surveyId = survey })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var runner = server.Services.GetRequiredService<BatchSendRunner>();
        // The first chunk is invited, then the node stops holding the lease (as a running send would between chunks).
        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            runner.RunToEndAsync(id, ws, job => throw new InvalidOperationException("pause after chunk " + job.Queued), CancellationToken.None));

        // A key that may only read cannot cancel; an unknown id is 404.
        var readOnly = server.CreateApiClient(await server.CreateApiKeyAsync(ws, [Scopes.ContactsRead]));
        Assert.Equal(HttpStatusCode.Forbidden, (await readOnly.PostAsync($"/api/v1/batch-sends/{id}/cancel", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await api.PostAsync($"/api/v1/batch-sends/{Guid.NewGuid()}/cancel", null)).StatusCode);

        using var cancelled = await api.PostAsync($"/api/v1/batch-sends/{id}/cancel", null);
        Assert.Equal(HttpStatusCode.OK, cancelled.StatusCode);
        var body = await cancelled.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(("cancelled", 25), (body.GetProperty("status").GetString(), body.GetProperty("queued").GetInt32()));
        Assert.Equal(25, body.GetProperty("invitations").GetProperty("cancelled").GetInt32());
        Assert.False(body.GetProperty("invitations").TryGetProperty("scheduled", out _));

        // Cancelling again changes nothing; no node resumes the send, even once the lease has lapsed.
        Assert.Equal(HttpStatusCode.OK, (await api.PostAsync($"/api/v1/batch-sends/{id}/cancel", null)).StatusCode);
        Assert.Equal(0, await runner.RunDueAsync(CancellationToken.None));
        Assert.Equal(BatchJobStatus.Cancelled, await runner.RunToEndAsync(id, ws, null, CancellationToken.None));

        // The mail queued for the first chunk is closed without being sent when it comes due.
        Assert.Equal(25, await server.Services.GetRequiredService<EmailDispatcher>().DispatchDueAsync(CancellationToken.None));
        var mails = await server.InWorkspaceAsync(ws, sp => sp.GetRequiredService<PromoterDb>().OutboundEmails.AsNoTracking().Select(e => e.Status).ToListAsync());
        Assert.Equal(25, mails.Count);
        Assert.All(mails, status => Assert.Equal(EmailStatus.Cancelled, status));
        Assert.Equal(25, await server.InWorkspaceAsync(ws, sp => sp.GetRequiredService<PromoterDb>().Invitations.CountAsync(i => i.SendId == id)));
        var audit = await server.InWorkspaceAsync(ws, sp => sp.GetRequiredService<PromoterDb>().AuditEntries.AsNoTracking()
            .CountAsync(a => a.Action == "send.batch_cancelled"));
        Assert.Equal(1, audit);
    }

    [Fact]
    public async Task Hostile_or_impossible_batch_requests_are_refused_by_field_and_store_nothing()
    {
        await using var server = await PromoterTestServer.StartAsync(DatabaseProvider.Sqlite, new() { Settings = QuietWorkers(100) });
        var (ws, api, survey) = await SeedAsync(server, 5);
        var other = await server.CreateWorkspaceAsync("Other");
        using var otherApi = server.CreateApiClient(other.ApiKey);

        foreach (var (json, field) in new[]
                 {
                     ("{}", "surveyId"),
                     ("{\"surveyId\":\"" + survey + "\",\"filter\":{\"property\":\"bad key:x\"}}", "property"),
                     ("{\"surveyId\":\"" + survey + "\",\"filter\":{\"createdFrom\":\"yesterday\"}}", "createdFrom"),
                     ($$"""{"surveyId":"{{survey}}","name":"{{new string('x', 300)}}"}""", "name"),
                     ($$"""{"surveyId":"{{survey}}","surprise":1}""", "surprise"),
                 })
        {
            using var refused = await api.PostAsync("/api/v1/batch-sends", new StringContent(json, Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.True((await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty(field, out _), json);
        }

        using var nobody = await api.PostAsJsonAsync("/api/v1/batch-sends", new { surveyId = survey, filter = new { locale = "th" } });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, nobody.StatusCode);
        // Another workspace's survey is not found, and its key cannot read this workspace's send.
        using var foreign = await otherApi.PostAsJsonAsync("/api/v1/batch-sends", new { surveyId = survey });
        Assert.Equal(HttpStatusCode.BadRequest, foreign.StatusCode);
        var id = (await (await api.PostAsJsonAsync("/api/v1/batch-sends", new { surveyId = survey })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        Assert.Equal(HttpStatusCode.NotFound, (await otherApi.GetAsync($"/api/v1/batch-sends/{id}")).StatusCode);
        Assert.Equal(1, await server.InWorkspaceAsync(ws, sp => sp.GetRequiredService<PromoterDb>().BatchJobs.CountAsync()));
    }

    [Fact]
    public async Task The_background_worker_queues_a_batch_and_the_outbox_delivers_it_to_a_real_smtp_server()
    {
        await using var mail = await MailDev.StartAsync();
        await using var server = await PromoterTestServer.StartAsync(DatabaseProvider.Sqlite, new() { Settings = new(mail.Settings()) { ["Distribution:RecurringEnabled"] = "false", ["Distribution:QuietHoursStart"] = "0", ["Distribution:QuietHoursEnd"] = "0" } });
        var (_, api, survey) = await SeedAsync(server, 30);
        var id = (await (await api.PostAsJsonAsync("/api/v1/batch-sends", new { surveyId = survey, filter = new { locale = "sv" } })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

        var messages = await mail.WaitForAsync(15, TimeSpan.FromSeconds(60));
        Assert.Equal(15, messages.Select(m => m.GetProperty("to")[0].GetProperty("address").GetString()).Distinct().Count());
        var progress = await api.GetFromJsonAsync<JsonElement>($"/api/v1/batch-sends/{id}");
        Assert.Equal("done", progress.GetProperty("status").GetString());
    }

    /// <summary>n contacts: every third on plan gold, half Swedish (the others Arabic).</summary>
    internal static async Task<(Guid Workspace, HttpClient Api, string Survey)> SeedAsync(PromoterTestServer server, int n)
    {
        var ws = await server.CreateWorkspaceAsync("Batch");
        var api = server.CreateApiClient(ws.ApiKey);
        var survey = await Accounts.TenantFixtures.CreateAsync(api, "/api/v1/surveys", new { name = "Relationship", brandName = "Northwind", languages = new[] { "en", "sv", "ar" } });
        var csv = new StringBuilder("email,name,locale,time_zone,plan\n");
        for (var i = 0; i < n; i++)
        {
            csv.Append(System.Globalization.CultureInfo.InvariantCulture, $"person{i:D4}@example.com,Person {i},{(i % 2 == 0 ? "sv" : "ar")},UTC,{(i % 3 == 0 ? "gold" : "silver")}\n");
        }

        var imported = await server.InWorkspaceAsync(ws.Id, async sp =>
        {
            using var stream = new MemoryStream(Encoding.UTF8.GetBytes(csv.ToString()));
            return await sp.GetRequiredService<ContactImporter>().ImportAsync(stream, new ContactImportRequest(), CancellationToken.None);
        });
        Assert.True(imported.Committed);
        return (ws.Id, api, survey);
    }
}
