using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using Promoter.Accounts;
using Promoter.Collect;
using Promoter.Data;
using Promoter.Loop;
using Promoter.Platform.Email;
using Promoter.Tests.Collect;
using Promoter.Tests.Infrastructure;

namespace Promoter.Tests.Loop;

/// <summary>
/// A server with a workspace and a survey for loop tests. On a fake clock every polling worker is off (loop, mail,
/// webhooks) and tests drive the loop services themselves, so each step happens exactly when the test says.
/// </summary>
public sealed class LoopHarness : IAsyncDisposable
{
    private LoopHarness(PromoterTestServer server, PromoterTestServer.SeededWorkspace workspace, HttpClient api, Guid survey, FakeTimeProvider? clock)
    {
        Server = server;
        Workspace = workspace;
        Api = api;
        Survey = survey;
        Clock = clock;
    }

    public PromoterTestServer Server { get; }
    public PromoterTestServer.SeededWorkspace Workspace { get; }
    public HttpClient Api { get; }
    public Guid Survey { get; }
    public FakeTimeProvider? Clock { get; }

    public sealed record Member(Guid Id, string Email, string Password);

    public static async Task<LoopHarness> StartAsync(DatabaseProvider provider, bool fakeClock = true, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var clock = fakeClock ? RespondentKit.NewClock() : null;
        var merged = new Dictionary<string, string?>();
        if (fakeClock)
        {
            merged["Loop:WorkerEnabled"] = "false";
            merged["Email:DispatchEnabled"] = "false";
            merged["Webhooks:DispatchEnabled"] = "false";
        }

        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            merged[key] = value;
        }

        var server = await PromoterTestServer.StartAsync(provider, new() { Clock = clock, Settings = merged });
        var workspace = await server.CreateWorkspaceAsync("Loop " + Guid.NewGuid().ToString("N")[..6]);
        var api = server.CreateApiClient(workspace.ApiKey);
        var survey = await RespondentKit.CreateSurveyAsync(api);
        return new LoopHarness(server, workspace, api, survey, clock);
    }

    public async Task<Member> AddMemberAsync(Role role)
    {
        var (email, password) = await Server.AddMemberAsync(Workspace.Id, role);
        var id = await QueryAsync(db => db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync());
        return new Member(id, email, password);
    }

    public async Task<Guid> OwnerIdAsync() => await QueryAsync(db => db.Users.Where(u => u.Email == Workspace.OwnerEmail).Select(u => u.Id).SingleAsync());

    /// <summary>A response through the intake API, as an integration would send it; returns its id.</summary>
    public async Task<long> RespondAsync(int score, string? comment = null, string? email = null, string? teamMember = null,
        Dictionary<string, string?>? properties = null, string? channel = null, string? name = "Robin Respondent", string? locale = null, Guid? survey = null)
    {
        using var response = await Api.PostAsJsonAsync("/api/v1/responses", new
        {
            surveyId = survey ?? Survey,
            score,
            comment,
            teamMember,
            properties,
            channel,
            contact = email is null ? null : new { email, name, locale },
        });
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        return JsonDocument.Parse(text).RootElement.GetProperty("id").GetInt64();
    }

    public Task<int> ProcessAsync() => Server.Services.GetRequiredService<LoopProcessor>().ProcessDueAsync(CancellationToken.None);

    public Task<T> QueryAsync<T>(Func<PromoterDb, Task<T>> query) => Server.InWorkspaceAsync(Workspace.Id, sp => query(sp.GetRequiredService<PromoterDb>()));

    public Task<List<FollowUpCase>> CasesAsync() => QueryAsync(db => db.Cases.AsNoTracking().OrderBy(c => c.CreatedAt).ThenBy(c => c.ResponseId).ToListAsync());

    public Task<FollowUpCase> CaseOfAsync(long responseId) => QueryAsync(db => db.Cases.AsNoTracking().SingleAsync(c => c.ResponseId == responseId));

    public Task<SurveyResponse> ResponseAsync(long id) => QueryAsync(db => db.Responses.AsNoTracking().SingleAsync(r => r.Id == id));

    public Task<List<CaseActivity>> ActivitiesAsync(Guid caseId) =>
        QueryAsync(db => db.CaseActivities.AsNoTracking().Where(a => a.CaseId == caseId).OrderBy(a => a.Id).ToListAsync());

    public Task<List<OutboundEmail>> MailsAsync(string? kind = null) =>
        QueryAsync(db => db.OutboundEmails.AsNoTracking().Where(e => kind == null || e.Kind == kind).OrderBy(e => e.CreatedAt).ThenBy(e => e.ToAddress).ToListAsync());

    public async Task<JsonElement> CreateRuleAsync(object rule)
    {
        using var response = await Api.PostAsJsonAsync("/api/v1/alert-rules", rule);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public async Task SaveSettingsAsync(object settings)
    {
        using var response = await Api.PutAsJsonAsync("/api/v1/loop/settings", settings);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    public async ValueTask DisposeAsync()
    {
        Api.Dispose();
        await Server.DisposeAsync();
    }
}
