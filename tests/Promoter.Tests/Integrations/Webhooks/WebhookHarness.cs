using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using Promoter.Data;
using Promoter.Integrations.Webhooks;
using Promoter.Tests.Collect;
using Promoter.Tests.Infrastructure;

namespace Promoter.Tests.Integrations.Webhooks;

/// <summary>
/// A server on a fake clock with its webhook worker off (tests run the dispatcher themselves, so every attempt happens
/// when the test says), a workspace with a survey, and a receiver on 127.0.0.2, the one private address it may reach.
/// </summary>
public sealed class WebhookHarness : IAsyncDisposable
{
    public const string ReceiverNetwork = "127.0.0.2/32";

    private WebhookHarness(FakeTimeProvider clock, PromoterTestServer server, PromoterTestServer.SeededWorkspace workspace, HttpClient api, TestReceiver receiver, Guid survey)
    {
        Clock = clock;
        Server = server;
        Workspace = workspace;
        Api = api;
        Receiver = receiver;
        Survey = survey;
    }

    public FakeTimeProvider Clock { get; }
    public PromoterTestServer Server { get; }
    public PromoterTestServer.SeededWorkspace Workspace { get; }
    public HttpClient Api { get; }
    public TestReceiver Receiver { get; }
    public Guid Survey { get; }
    public DateTime Now => Clock.GetUtcNow().UtcDateTime;

    public static Dictionary<string, string?> DefaultSettings() => new()
    {
        ["Webhooks:AllowHttp"] = "true",
        ["Webhooks:AllowedPrivateNetworks"] = ReceiverNetwork,
        ["Webhooks:DispatchEnabled"] = "false",
        // These tests count the events of responses; follow-up cases (and their case.* events) are the loop tests' job.
        ["Loop:WorkerEnabled"] = "false",
    };

    public static async Task<WebhookHarness> StartAsync(DatabaseProvider provider = DatabaseProvider.Sqlite,
        IReadOnlyDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null)
    {
        var clock = RespondentKit.NewClock();
        var merged = DefaultSettings();
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            merged[key] = value;
        }

        var server = await PromoterTestServer.StartAsync(provider, new() { Clock = clock, Settings = merged, Services = services });
        var workspace = await server.CreateWorkspaceAsync("Webhooks " + Guid.NewGuid().ToString("N")[..6]);
        var api = server.CreateApiClient(workspace.ApiKey);
        var survey = await RespondentKit.CreateSurveyAsync(api);
        var receiver = await TestReceiver.StartAsync();
        return new WebhookHarness(clock, server, workspace, api, receiver, survey);
    }

    public sealed record Endpoint(Guid Id, string Secret, JsonElement Created);

    public async Task<Endpoint> CreateEndpointAsync(string? url = null, string[]? types = null, string format = "standard")
    {
        using var response = await Api.PostAsJsonAsync("/api/v1/webhooks", new
        {
            url = url ?? Receiver.Hook(),
            eventTypes = types ?? [WebhookEventTypes.ResponseCreated, WebhookEventTypes.ResponseUpdated],
            format,
        });
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        var json = JsonDocument.Parse(text).RootElement.Clone();
        return new Endpoint(json.GetProperty("id").GetGuid(), json.GetProperty("secret").GetString()!, json);
    }

    /// <summary>A response through the intake API, as an integration would send it.</summary>
    public async Task<long> RespondAsync(int score, string? comment = null, string? email = null)
    {
        using var response = await Api.PostAsJsonAsync("/api/v1/responses", new
        {
            surveyId = Survey,
            score,
            comment,
            contact = email is null ? null : new { email, name = "Robin Respondent" },
        });
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        return JsonDocument.Parse(text).RootElement.GetProperty("id").GetInt64();
    }

    public Task<int> DispatchAsync() => Server.Services.GetRequiredService<WebhookDispatcher>().DispatchDueAsync(CancellationToken.None);

    public Task<T> QueryAsync<T>(Func<PromoterDb, Task<T>> query) =>
        Server.InWorkspaceAsync(Workspace.Id, sp => query(sp.GetRequiredService<PromoterDb>()));

    public Task<List<WebhookDelivery>> DeliveriesAsync() =>
        QueryAsync(db => db.WebhookDeliveries.AsNoTracking().Include(d => d.Event).OrderBy(d => d.Id).ToListAsync());

    public Task<List<WebhookEvent>> EventsAsync() => QueryAsync(db => db.WebhookEvents.AsNoTracking().OrderBy(e => e.Id).ToListAsync());

    public Task<List<WebhookAttempt>> AttemptsAsync() => QueryAsync(db => db.WebhookAttempts.AsNoTracking().OrderBy(a => a.Id).ToListAsync());

    public Task<WebhookEndpoint> EndpointAsync(Guid id) => QueryAsync(db => db.WebhookEndpoints.AsNoTracking().SingleAsync(e => e.Id == id));

    public async ValueTask DisposeAsync()
    {
        Api.Dispose();
        await Receiver.DisposeAsync();
        await Server.DisposeAsync();
    }
}
