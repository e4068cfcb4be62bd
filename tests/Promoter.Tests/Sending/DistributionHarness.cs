using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using Promoter.Data;
using Promoter.Distribution;
using Promoter.Distribution.Recurring;
using Promoter.Integrations.Webhooks;
using Promoter.Platform.Email;
using Promoter.Tests.Infrastructure;

namespace Promoter.Tests.Sending;

/// <summary>
/// A server on a fake clock whose background workers (mail, webhooks, recurring sends) run only when a test says so,
/// with one workspace, its API client, and helpers to trigger invitations and read their state.
/// </summary>
public sealed class DistributionHarness : IAsyncDisposable
{
    public const string PublicUrl = "https://nps.acme.test";

    private DistributionHarness(PromoterTestServer server, PromoterTestServer.SeededWorkspace workspace)
    {
        Server = server;
        Workspace = workspace;
        Api = server.CreateApiClient(workspace.ApiKey);
    }

    public PromoterTestServer Server { get; }
    public PromoterTestServer.SeededWorkspace Workspace { get; }
    public HttpClient Api { get; }
    public FakeTimeProvider Clock => Server.Clock!;
    public DateTime Now => Clock.GetUtcNow().UtcDateTime;

    /// <summary>Monday 2 March 2026, 10:00 UTC unless a test needs another moment (quiet hours) or real time (a real node).</summary>
    public static async Task<DistributionHarness> StartAsync(DatabaseProvider provider, Dictionary<string, string?> smtp, DateTimeOffset? start = null,
        TestDatabase? database = null, Dictionary<string, string?>? settings = null)
    {
        var all = new Dictionary<string, string?>(smtp)
        {
            ["Email:DispatchEnabled"] = "false",
            ["Webhooks:DispatchEnabled"] = "false",
            ["Distribution:RecurringEnabled"] = "false",
            ["Smtp:TimeoutSeconds"] = "5",
            ["Promoter:PublicUrl"] = PublicUrl,
        };
        foreach (var (key, value) in settings ?? [])
        {
            all[key] = value;
        }

        var server = await PromoterTestServer.StartAsync(provider, new PromoterTestServer.Options
        {
            Clock = new FakeTimeProvider(start ?? new DateTimeOffset(2026, 3, 2, 10, 0, 0, TimeSpan.Zero)),
            Settings = all,
            Database = database,
            // Every periodic worker ticks once per period the fake clock skips: over months of simulated time the
            // one-minute finalizer and the 30-second key-usage writer would run hundreds of thousands of times.
            // The tests drive what they need by hand.
            Services = services =>
            {
                foreach (var worker in services.Where(d => d.ServiceType == typeof(IHostedService) && d.ImplementationType is { } type
                             && (type == typeof(Promoter.Collect.Respondent.ResponseFinalizerWorker) || type == typeof(Promoter.Accounts.ApiKeyUsageWriter)
                                 || type == typeof(WebhookDispatcherWorker) || type == typeof(EmailDispatcherWorker) || type == typeof(RecurringSendWorker))).ToList())
                {
                    services.Remove(worker);
                }
            },
        });
        var workspace = await server.CreateWorkspaceAsync("Distribution " + Guid.NewGuid().ToString("N")[..6]);
        return new DistributionHarness(server, workspace);
    }

    /// <summary>A survey in the five languages; <paramref name="changes"/> override fields of the request body.</summary>
    public async Task<Guid> CreateSurveyAsync(string name = "Delivery survey", Dictionary<string, object?>? changes = null)
    {
        var body = new Dictionary<string, object?>
        {
            ["name"] = name,
            ["brandName"] = "Acme",
            ["languages"] = new[] { "en", "ar", "mk", "sv", "th" },
            ["defaultLanguage"] = "en",
        };
        foreach (var (key, value) in changes ?? [])
        {
            body[key] = value;
        }

        using var response = await Api.PostAsJsonAsync("/api/v1/surveys", body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        return JsonDocument.Parse(text).RootElement.GetProperty("id").GetGuid();
    }

    public async Task<(int Status, JsonElement Body)> TriggerRawAsync(Guid surveyId, object body)
    {
        using var response = await Api.PostAsJsonAsync($"/api/v1/surveys/{surveyId}/invitations", body);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    /// <summary>Triggers an invitation and returns its id (fails the test unless it is 201).</summary>
    public async Task<Guid> TriggerAsync(Guid surveyId, string email, string? locale = null, string? timeZone = null, long? delaySeconds = null,
        Dictionary<string, string>? properties = null, string? name = "Robin Park")
    {
        var (status, body) = await TriggerRawAsync(surveyId, new
        {
            contact = new { email, name, locale, timeZone },
            properties,
            delaySeconds,
        });
        Assert.True(status == 201, $"{status}: {body}");
        return body.GetProperty("id").GetGuid();
    }

    public Task<int> DispatchAsync() => Server.Services.GetRequiredService<EmailDispatcher>().DispatchDueAsync(CancellationToken.None);

    public Task<RecurringSends.RunResult> RunRecurringAsync() => Server.Services.GetRequiredService<RecurringSends>().RunDueAsync(CancellationToken.None);

    public Task<T> QueryAsync<T>(Func<PromoterDb, Task<T>> query) =>
        Server.InWorkspaceAsync(Workspace.Id, sp => query(sp.GetRequiredService<PromoterDb>()));

    public Task<Invitation> InvitationAsync(Guid id) => QueryAsync(db => db.Invitations.AsNoTracking().SingleAsync(i => i.Id == id));

    public Task<List<OutboundEmail>> EmailsForAsync(Guid invitationId) =>
        QueryAsync(db => db.OutboundEmails.AsNoTracking().Where(e => e.RelatedId == invitationId).OrderBy(e => e.CreatedAt).ToListAsync());

    public async Task SetAsync(Func<PromoterDb, Task> change) =>
        await QueryAsync(async db =>
        {
            await change(db);
            return await db.SaveChangesAsync();
        });

    public ValueTask DisposeAsync()
    {
        Api.Dispose();
        return Server.DisposeAsync();
    }
}
