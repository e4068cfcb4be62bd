using System.Net.Http.Json;
using System.Text.Json;
using Promoter.Tests.Infrastructure;

namespace Promoter.Tests.Accounts;

/// <summary>
/// For the isolation tests: how to create one object of every resource in a workspace, and a valid body for every
/// write endpoint. An endpoint the isolation test finds without an entry here fails the test, so a new endpoint
/// cannot ship untested for cross-workspace access.
/// </summary>
public static class TenantFixtures
{
    /// <summary>Resource (route segment) → creates one in the caller's workspace and returns its route values.</summary>
    public static readonly IReadOnlyDictionary<string, Func<HttpClient, Task<Dictionary<string, string>>>> Creators =
        new Dictionary<string, Func<HttpClient, Task<Dictionary<string, string>>>>(StringComparer.Ordinal)
        {
            ["members"] = async api => new() { ["id"] = await CreateAsync(api, "/api/v1/members", new { email = $"m-{Guid.NewGuid():N}@example.com", password = "member-password-1", role = "agent" }) },
            ["api-keys"] = async api => new() { ["id"] = await CreateAsync(api, "/api/v1/api-keys", new { name = "isolation" }) },
            ["benchmarks"] = async api => new() { ["id"] = await CreateAsync(api, "/api/v1/benchmarks", new { industry = "Peers", average = 30, source = "Our association", year = 2025 }) },
            ["surveys"] = async api => new() { ["id"] = await CreateAsync(api, "/api/v1/surveys", SampleSurvey("Isolation")) },
            ["responses"] = async api =>
            {
                var survey = await CreateAsync(api, "/api/v1/surveys", SampleSurvey("Responses"));
                return new() { ["id"] = await CreateAsync(api, "/api/v1/responses", new { surveyId = survey, score = 3, comment = "B's secret comment" }) };
            },
            ["webhooks"] = async api =>
            {
                var id = await CreateAsync(api, "/api/v1/webhooks", SampleWebhook());
                // A response while the endpoint listens gives it a delivery (the isolation test's server never sends it).
                var survey = await CreateAsync(api, "/api/v1/surveys", SampleSurvey("Webhooks"));
                await CreateAsync(api, "/api/v1/responses", new { surveyId = survey, score = 9 });
                var deliveries = await api.GetFromJsonAsync<JsonElement>($"/api/v1/webhooks/{id}/deliveries");
                return new() { ["id"] = id, ["deliveryId"] = deliveries.GetProperty("data")[0].GetProperty("id").ToString() };
            },
            ["cases"] = async api =>
            {
                // The loop worker opens the case within moments of the detractor response (in queue order, so earlier
                // responses are done by then and the snapshots stay still).
                var survey = await CreateAsync(api, "/api/v1/surveys", SampleSurvey("Cases"));
                await CreateAsync(api, "/api/v1/responses", new { surveyId = survey, score = 2, comment = "B's secret comment", contact = new { email = $"b-{Guid.NewGuid():N}@example.com" } });
                for (var i = 0; i < 200; i++)
                {
                    var cases = await api.GetFromJsonAsync<JsonElement>($"/api/v1/cases?surveyId={survey}");
                    if (cases.GetArrayLength() > 0)
                    {
                        return new() { ["id"] = cases[0].GetProperty("id").ToString() };
                    }

                    await Task.Delay(50);
                }

                throw new InvalidOperationException("No case was opened for the detractor response.");
            },
            ["contacts"] = async api => new() { ["id"] = await CreateAsync(api, "/api/v1/contacts", SampleContact()) },
            ["invitations"] = async api =>
            {
                var survey = await CreateAsync(api, "/api/v1/surveys", SampleSurvey("Invitations"));
                return new() { ["id"] = await CreateAsync(api, $"/api/v1/surveys/{survey}/invitations", new { contact = SampleContact() }) };
            },
            // Inactive, so the recurring worker does not enrol B's contacts (and move its counts) during the test.
            ["recurring-sends"] = async api =>
            {
                var survey = await CreateAsync(api, "/api/v1/surveys", SampleSurvey("Recurring"));
                return new() { ["id"] = await CreateAsync(api, "/api/v1/recurring-sends", new { surveyId = survey, name = "Quarterly", everyDays = 90, active = false }) };
            },
            ["batch-sends"] = async api =>
            {
                // One unsubscribed contact (its invitation is final at once), awaited to the end, so neither the batch
                // worker nor the mail dispatcher changes anything between the test's snapshots.
                var email = $"batch-{Guid.NewGuid():N}@example.com";
                await CreateAsync(api, "/api/v1/contacts", new { email });
                (await api.PostAsJsonAsync("/api/v1/unsubscribes", new { email })).EnsureSuccessStatusCode();
                var survey = await CreateAsync(api, "/api/v1/surveys", SampleSurvey("Batch"));
                var id = await CreateAsync(api, "/api/v1/batch-sends", new { surveyId = survey, name = "Spring", filter = new { email } });
                for (var i = 0; i < 400; i++)
                {
                    var job = await api.GetFromJsonAsync<JsonElement>($"/api/v1/batch-sends/{id}");
                    if (job.TryGetProperty("finishedAt", out var finished) && finished.ValueKind == JsonValueKind.String)
                    {
                        return new() { ["id"] = id };
                    }

                    await Task.Delay(50);
                }

                throw new InvalidOperationException("The batch send did not finish.");
            },
            ["themes"] = async api => new() { ["id"] = await CreateAsync(api, "/api/v1/themes", new { name = "B's secret theme", terms = new Dictionary<string, string[]> { ["en"] = ["delivery"] } }) },
            // A churn event of B's contact (B's at-risk list and model card must never show in A's).
            ["churn-events"] = async api =>
            {
                var email = $"churned-{Guid.NewGuid():N}@example.com";
                await CreateAsync(api, "/api/v1/contacts", new { email, name = "B's churned contact" });
                return new() { ["id"] = await CreateAsync(api, "/api/v1/churn-events", new { email, occurredAt = "2026-01-05T10:00:00Z", reason = "B's secret comment" }) };
            },
            ["alert-rules"] = async api => new() { ["id"] = await CreateAsync(api, "/api/v1/alert-rules", new { name = "B's detractors", categories = new[] { "detractor" }, emailAddresses = new[] { "b-team@example.com" } }) },
        };

    /// <summary>"METHOD /pattern" → a body that would succeed on the caller's own object.</summary>
    public static readonly IReadOnlyDictionary<string, object> Bodies = new Dictionary<string, object>(StringComparer.Ordinal)
    {
        ["PATCH /api/v1/members/{id:guid}"] = new { role = "viewer" },
        ["POST /api/v1/members"] = new { email = $"new-{Guid.NewGuid():N}@example.com", password = "member-password-2", role = "viewer" },
        ["POST /api/v1/api-keys"] = new { name = "another" },
        ["PATCH /api/v1/workspace"] = new { timeZone = "Europe/Stockholm" },
        ["POST /api/v1/surveys"] = SampleSurvey("Another"),
        ["PUT /api/v1/surveys/{id:guid}"] = SampleSurvey("Renamed"),
        ["PUT /api/v1/surveys/{id:guid}/target"] = new { targetNps = 40, benchmarkId = "software-industry-guide" },
        ["POST /api/v1/benchmarks"] = new { industry = "Peers", average = 30, source = "Survey of peers", year = 2024 },
        ["PUT /api/v1/segments"] = new { keys = new[] { "region" } },
        ["POST /api/v1/webhooks"] = SampleWebhook(),
        ["PATCH /api/v1/webhooks/{id:guid}"] = new { description = "Renamed", enabled = false },
        ["POST /api/v1/webhooks/{id:guid}/rotate-secret"] = new { },
        ["POST /api/v1/webhooks/{id:guid}/deliveries/{deliveryId:long}/replay"] = new { },
        ["POST /api/v1/batch-sends/{id:guid}/cancel"] = new { },
        ["PATCH /api/v1/cases/{id:guid}"] = new { status = "contacted" },
        ["POST /api/v1/cases/{id:guid}/notes"] = new { body = "A note" },
        ["POST /api/v1/cases/{id:guid}/replies"] = new { template = "detractor", body = "Hello, we are sorry and will call you tomorrow." },
        ["POST /api/v1/cases/{id:guid}/contacts"] = new { channel = "phone", note = "Talked it through" },
        ["POST /api/v1/alert-rules"] = new { name = "Another rule", categories = new[] { "passive" } },
        ["PATCH /api/v1/alert-rules/{id:guid}"] = new { name = "Renamed" },
        ["POST /api/v1/themes"] = new { name = "Another theme", terms = new Dictionary<string, string[]> { ["en"] = ["price"] } },
        ["PUT /api/v1/themes/{id:guid}"] = new { name = "Renamed theme", terms = new Dictionary<string, string[]> { ["sv"] = ["leverans"] } },
        ["PUT /api/v1/contacts/{id:guid}"] = SampleContact(),
        ["POST /api/v1/surveys/{id:guid}/invitations"] = new { contact = SampleContact(), properties = new { touchpoint = "order delivered" } },
        ["PATCH /api/v1/recurring-sends/{id:guid}"] = new { active = false },
        ["PUT /api/v1/loop/settings"] = new { detractorSlaHours = 12 },
    };

    /// <summary>"METHOD /pattern" → a query string the endpoint needs to answer 200 on the caller's own object.</summary>
    public static readonly IReadOnlyDictionary<string, string> Queries = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["GET /api/v1/surveys/{id:guid}/breakdown"] = "?by=channel",
        ["GET /api/v1/surveys/{id:guid}/compare"] = "?from=2026-01-01&to=2026-01-31&previousFrom=2025-12-01&previousTo=2025-12-31",
    };

    public static string QueryFor(ApiEndpoints.Endpoint endpoint) => Queries.GetValueOrDefault(endpoint.ToString(), "");

    public static object SampleSurvey(string name) => new
    {
        name,
        brandName = "Acme",
        languages = new[] { "en", "sv", "ar" },
        defaultLanguage = "en",
    };

    /// <summary>A fresh address each time, so a body never collides with a contact created earlier.</summary>
    public static object SampleContact() => new { email = $"c-{Guid.NewGuid():N}@example.com", name = "Bo Berg", locale = "sv" };

    /// <summary>A public address literal, so saving needs no DNS; tests that send use their own loopback receiver.</summary>
    public static object SampleWebhook() => new
    {
        url = "https://93.184.215.14/promoter-hooks",
        description = "CRM sync",
        eventTypes = new[] { "response.created", "response.updated" },
    };

    public static async Task<string> CreateAsync(HttpClient api, string path, object body)
    {
        using var response = await api.PostAsJsonAsync(path, body);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"POST {path} failed: {(int)response.StatusCode} {text}");
        }

        return JsonDocument.Parse(text).RootElement.GetProperty("id").ToString();
    }

    public static HttpRequestMessage Request(ApiEndpoints.Endpoint endpoint, string url)
    {
        var request = new HttpRequestMessage(new HttpMethod(endpoint.Method), url + QueryFor(endpoint));
        if (endpoint.Method is "POST" or "PUT" or "PATCH")
        {
            request.Content = JsonContent.Create(Bodies.TryGetValue(endpoint.ToString(), out var body) ? body : new { });
        }

        return request;
    }
}
