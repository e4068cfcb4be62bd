using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Promoter.Churn;
using Promoter.Data;
using Promoter.Tests.Loop;

namespace Promoter.Tests.Churn;

/// <summary>The loop harness (fake clock, workers off) with the nightly churn worker off too, and churn helpers.</summary>
public static class ChurnHarness
{
    public static Task<LoopHarness> StartAsync(DatabaseProvider provider) =>
        LoopHarness.StartAsync(provider, settings: new Dictionary<string, string?> { ["Churn:WorkerEnabled"] = "false" });

    public static Task<Guid> ContactIdAsync(this LoopHarness h, string email) =>
        h.QueryAsync(db => db.Contacts.Where(c => c.EmailKey == email).Select(c => c.Id).SingleAsync());

    public static Task<ContactRisk?> RiskAsync(this LoopHarness h, Guid contactId) =>
        h.QueryAsync(db => db.ContactRisks.AsNoTracking().SingleOrDefaultAsync(r => r.ContactId == contactId));

    /// <summary>Rescoring of the whole workspace, as the nightly run does it.</summary>
    public static Task<int> RescoreAllAsync(this LoopHarness h) =>
        h.Server.InWorkspaceAsync(h.Workspace.Id, async sp =>
        {
            var db = sp.GetRequiredService<PromoterDb>();
            var ids = await db.Contacts.Select(c => c.Id).ToListAsync();
            return await sp.GetRequiredService<ContactRiskScorer>().RescoreAsync(ids, CancellationToken.None);
        });

    /// <summary>Sets contact properties (merged into the contact with this email, created if new).</summary>
    public static async Task SetContactPropertiesAsync(this LoopHarness h, string email, Dictionary<string, string?> properties)
    {
        using var response = await h.Api.PostAsJsonAsync("/api/v1/contacts", new { email, properties });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    public static async Task<JsonElement> GetJsonAsync(this HttpClient client, string url)
    {
        using var response = await client.GetAsync(url);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{url}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public static async Task<(int Status, JsonElement Body)> PostJsonAsync(this HttpClient client, string url, object body)
    {
        using var response = await client.PostAsJsonAsync(url, body);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }
}
