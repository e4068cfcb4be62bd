using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Promoter.Data;
using Promoter.Tests.Infrastructure;

namespace Promoter.Tests.Metrics;

public sealed class BenchmarksApiTests
{
    [Fact]
    public async Task A_survey_is_classified_against_its_benchmark_with_target_gap_and_suggestion()
    {
        await using var server = await PromoterTestServer.StartAsync(DatabaseProvider.Sqlite);
        var ws = await server.CreateWorkspaceAsync("Benchmarks");
        using var api = server.CreateApiClient(ws.ApiKey);

        var all = await api.GetFromJsonAsync<JsonElement>("/api/v1/benchmarks");
        var seed = all.EnumerateArray().Single(b => b.GetProperty("id").GetString() == "software-industry-guide");
        Assert.Equal(34, seed.GetProperty("average").GetDouble());
        Assert.Equal(25, seed.GetProperty("low").GetDouble());
        Assert.Equal(55, seed.GetProperty("high").GetDouble());
        Assert.All(all.EnumerateArray(), b => Assert.False(string.IsNullOrWhiteSpace(b.GetProperty("source").GetString())));

        var id = await Accounts.TenantFixtures.CreateAsync(api, "/api/v1/surveys", new { name = "B", brandName = "B" });
        // 50 promoters, 30 passives, 20 detractors: NPS +30, below the software average of 34.
        var scores = Enumerable.Repeat(10, 50).Concat(Enumerable.Repeat(8, 30)).Concat(Enumerable.Repeat(3, 20));
        foreach (var score in scores)
        {
            (await api.PostAsJsonAsync("/api/v1/responses", new { surveyId = id, score })).EnsureSuccessStatusCode();
        }

        var standing = await api.GetFromJsonAsync<JsonElement>($"/api/v1/surveys/{id}/standing");
        Assert.Equal(30, standing.GetProperty("current").GetProperty("summary").GetProperty("nps").GetDouble(), 9);
        Assert.Equal("belowAverage", standing.GetProperty("relative").GetString());
        Assert.Equal("favorable", standing.GetProperty("absolute").GetString());
        Assert.Equal(34, standing.GetProperty("suggestedTarget").GetDouble()); // half the 4-point gap is < 5, capped at the average
        Assert.Equal(JsonValueKind.Null, standing.GetProperty("gap").ValueKind);

        var custom = await Accounts.TenantFixtures.CreateAsync(api, "/api/v1/benchmarks", new { industry = "Nordic telecom", segment = "b2c", low = 0, average = 20, high = 28, source = "Association report", year = 2025 });
        (await api.PutAsJsonAsync($"/api/v1/surveys/{id}/target", new { targetNps = 40, benchmarkId = custom })).EnsureSuccessStatusCode();
        standing = await api.GetFromJsonAsync<JsonElement>($"/api/v1/surveys/{id}/standing");
        Assert.Equal("excellent", standing.GetProperty("relative").GetString());
        Assert.Equal(10, standing.GetProperty("gap").GetDouble(), 9);
        Assert.Equal(custom, standing.GetProperty("benchmark").GetProperty("id").GetString());

        Assert.Equal(HttpStatusCode.BadRequest, (await api.PutAsJsonAsync($"/api/v1/surveys/{id}/target", new { targetNps = 140 })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await api.PutAsJsonAsync($"/api/v1/surveys/{id}/target", new { benchmarkId = "nope" })).StatusCode);
        foreach (var bad in new object[]
                 {
                     new { industry = "X", average = 30 },
                     new { industry = "X", average = 30, source = "S", low = 40 },
                     new { industry = "X", average = 300, source = "S" },
                     new { industry = "X", average = 30, source = "S", segment = "b2x" },
                     new { industry = "X", average = 30, source = "S", year = 1800 },
                 })
        {
            Assert.Equal(HttpStatusCode.BadRequest, (await api.PostAsJsonAsync("/api/v1/benchmarks", bad)).StatusCode);
        }

    }
}
