using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FsCheck.Fluent;
using Promoter.Collect;
using Promoter.Core;
using Promoter.Data;
using Promoter.Tests.Infrastructure;

namespace Promoter.Tests.Metrics;

/// <summary>
/// The metrics API against a brute-force recount of the raw responses, done here independently: local dates via
/// <see cref="TimeZoneInfo"/>, filters and NPS by hand. Random data, random queries, both databases.
/// </summary>
public sealed class MetricsApiTests
{
    private const string Zone = "America/Sao_Paulo";
    private static readonly string[] Channels = ["email", "link", "api"];
    private static readonly string[] Regions = ["north", "south", "east"];
    private static readonly string[] Teams = ["ana", "bo", "cy", "di"];

    private sealed record Raw(short Score, string Channel, string Language, string? Team, string? Region, DateTime RespondedAt);

    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task Engine_answers_equal_a_brute_force_recount(DatabaseProvider provider)
    {
        await using var server = await PromoterTestServer.StartAsync(provider);
        var ws = await server.CreateWorkspaceAsync("Metrics " + provider);
        using var api = server.CreateApiClient(ws.ApiKey);
        (await api.PatchAsJsonAsync("/api/v1/workspace", new { timeZone = Zone })).EnsureSuccessStatusCode();
        (await api.PutAsJsonAsync("/api/v1/segments", new { keys = new[] { "region" } })).EnsureSuccessStatusCode();
        var surveyId = Guid.Parse(await Accounts.TenantFixtures.CreateAsync(api, "/api/v1/surveys", new { name = "M", brandName = "M", languages = new[] { "en", "sv" } }));

        var random = new Random(20261123);
        var start = new DateTime(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        var raws = Enumerable.Range(0, 1500).Select(_ => new Raw(
            (short)random.Next(0, 11), Channels[random.Next(3)], random.Next(4) == 0 ? "sv" : "en",
            random.Next(5) == 0 ? null : Teams[random.Next(4)], random.Next(4) == 0 ? null : Regions[random.Next(3)],
            start.AddMinutes(random.Next(0, 60 * 24 * 500)))).ToList();
        await server.InWorkspaceAsync(ws.Id, async sp =>
        {
            var db = sp.GetRequiredService<PromoterDb>();
            db.Responses.AddRange(raws.Select(r => new SurveyResponse
            {
                SurveyId = surveyId, Score = r.Score, Channel = r.Channel, Language = r.Language, TeamMember = r.Team,
                Properties = r.Region is null ? null : $"{{\"region\":\"{r.Region}\"}}", Status = ResponseStatus.Final,
                RespondedAt = r.RespondedAt, CreatedAt = start, UpdatedAt = start,
            }));
            // Provisional responses never count.
            db.Responses.Add(new SurveyResponse { SurveyId = surveyId, Score = 0, Channel = "email", Language = "en", Status = ResponseStatus.Provisional, RespondedAt = start.AddDays(3), CreatedAt = start, UpdatedAt = start });
            return await db.SaveChangesAsync();
        });

        var zone = TimeZoneInfo.FindSystemTimeZoneById(Zone);
        DateOnly LocalDate(DateTime utc) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(utc, zone));

        var queries = Gen.Zip(Gen.Choose(0, 480), Gen.Choose(0, 120)).SelectMany(range =>
            from channel in Gen.Elements<string?>(null, null, "email", "api")
            from region in Gen.Elements<string?>(null, null, "north", "south")
            from team in Gen.Elements<string?>(null, null, null, "ana")
            from dim in Gen.Elements("channel", "teamMember", "region", "language")
            select (From: LocalDate(start).AddDays(range.Item1), Days: range.Item2, Channel: channel, Region: region, Team: team, By: dim));
        var failures = new List<string>();
        foreach (var q in Gen.Sample(queries, 60, 40))
        {
            var to = q.From.AddDays(q.Days);
            var matching = raws.Where(r =>
                LocalDate(r.RespondedAt) >= q.From && LocalDate(r.RespondedAt) <= to
                && (q.Channel is null || r.Channel == q.Channel) && (q.Region is null || r.Region == q.Region) && (q.Team is null || r.Team == q.Team)).ToList();
            var parameters = $"from={q.From:yyyy-MM-dd}&to={to:yyyy-MM-dd}"
                             + (q.Channel is null ? "" : $"&channel={q.Channel}") + (q.Region is null ? "" : $"&filter.region={q.Region}")
                             + (q.Team is null ? "" : $"&teamMember={q.Team}");

            var nps = await api.GetFromJsonAsync<JsonElement>($"/api/v1/surveys/{surveyId}/nps?{parameters}&method=tango&level=90");
            Check(failures, $"nps?{parameters}", nps.GetProperty("summary"), matching.Select(r => (int)r.Score).ToList(), ConfidenceMethod.Tango, 0.90);

            var dimensionOf = (Raw r) => q.By switch { "channel" => r.Channel, "teamMember" => r.Team, "region" => r.Region, _ => r.Language };
            var filterBy = q.By switch { "channel" => q.Channel, "teamMember" => q.Team, "region" => q.Region, _ => null };
            if (filterBy is null)
            {
                var breakdown = await api.GetFromJsonAsync<JsonElement>($"/api/v1/surveys/{surveyId}/breakdown?{parameters}&by={q.By}");
                var rows = breakdown.GetProperty("rows").EnumerateArray().ToDictionary(r => r.GetProperty("value").GetString()!, r => r.GetProperty("summary"));
                var expected = matching.Where(r => dimensionOf(r) is not null).GroupBy(r => dimensionOf(r)!).ToList();
                if (rows.Count != expected.Count)
                {
                    failures.Add($"breakdown by {q.By} {parameters}: {rows.Count} rows, expected {expected.Count}");
                }

                foreach (var group in expected)
                {
                    if (rows.TryGetValue(group.Key, out var row))
                    {
                        Check(failures, $"breakdown {q.By}={group.Key} {parameters}", row, group.Select(r => (int)r.Score).ToList(), ConfidenceMethod.AdjustedWald, 0.95);
                    }
                }
            }

            var trend = await api.GetFromJsonAsync<JsonElement>($"/api/v1/surveys/{surveyId}/trend?{parameters}&interval=month");
            foreach (var period in trend.GetProperty("periods").EnumerateArray())
            {
                var ps = DateOnly.Parse(period.GetProperty("start").GetString()!, CultureInfo.InvariantCulture);
                var pe = DateOnly.Parse(period.GetProperty("end").GetString()!, CultureInfo.InvariantCulture);
                var inPeriod = matching.Where(r => LocalDate(r.RespondedAt) >= ps && LocalDate(r.RespondedAt) <= pe).Select(r => (int)r.Score).ToList();
                Check(failures, $"trend {ps} {parameters}", period.GetProperty("summary"), inPeriod, ConfidenceMethod.AdjustedWald, 0.95);
            }
        }

        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures.Take(20)));
    }

    private static void Check(List<string> failures, string what, JsonElement summary, List<int> scores, ConfidenceMethod method, double level)
    {
        var counts = new NpsCounts(scores.Count(s => s <= 6), scores.Count(s => s is 7 or 8), scores.Count(s => s >= 9));
        var n = summary.GetProperty("n").GetInt64();
        if (n != counts.N)
        {
            failures.Add($"{what}: n={n}, expected {counts.N}");
            return;
        }

        var distribution = summary.GetProperty("distribution").EnumerateArray().Select(e => e.GetInt64()).ToArray();
        for (var s = 0; s <= 10; s++)
        {
            if (distribution[s] != scores.Count(x => x == s))
            {
                failures.Add($"{what}: distribution[{s}]={distribution[s]}, expected {scores.Count(x => x == s)}");
            }
        }

        if (counts.N == 0)
        {
            if (summary.GetProperty("nps").ValueKind != JsonValueKind.Null)
            {
                failures.Add($"{what}: NPS of nothing should be null");
            }

            return;
        }

        var expected = NpsStatistics.Estimate(counts, method, level);
        var nps = summary.GetProperty("nps").GetDouble();
        var ci = summary.GetProperty("ci");
        if (Math.Abs(nps - (100.0 * (counts.Promoters - counts.Detractors) / counts.N)) > 1e-9
            || Math.Abs(ci.GetProperty("low").GetDouble() - expected.Interval.Low) > 1e-9
            || Math.Abs(ci.GetProperty("high").GetDouble() - expected.Interval.High) > 1e-9
            || summary.GetProperty("lowConfidence").GetBoolean() != counts.N < 30)
        {
            failures.Add($"{what}: nps {nps} ci {ci}, expected {expected.Nps} [{expected.Interval.Low}, {expected.Interval.High}]");
        }
    }

    [Fact]
    public async Task Hostile_queries_are_400s_naming_the_parameter()
    {
        await using var server = await PromoterTestServer.StartAsync(DatabaseProvider.Sqlite);
        var ws = await server.CreateWorkspaceAsync("Hostile metrics");
        using var api = server.CreateApiClient(ws.ApiKey);
        var id = await Accounts.TenantFixtures.CreateAsync(api, "/api/v1/surveys", new { name = "H", brandName = "H" });
        (string Path, string Field)[] cases =
        [
            ("nps?filter.plan=pro", "filter.plan"),
            ("nps?from=2026-02-01&to=2026-01-01", "from"),
            ("nps?from=2026-13-01", "from"),
            ("nps?from=01/02/2026", "from"),
            ("nps?level=1e308", "level"),
            ("nps?level=100", "level"),
            ("nps?level=95&level=99", "level"),
            ("nps?method=bootstrap", "method"),
            ("nps?since=2026-01-01", "since"),
            ("nps?channel=", "channel"),
            ("trend?interval=day&from=2016-01-01&to=2026-01-01", "interval"),
            ("trend?interval=hour", "interval"),
            ("breakdown?by=plan", "by"),
            ("breakdown", "by"),
            ("breakdown?by=channel&channel=email", "by"),
            ("compare?from=2026-01-01&to=2026-01-31", "previousFrom"),
            ("nps?from=1900-01-01", "from"),
        ];
        foreach (var (path, field) in cases)
        {
            var response = await api.GetAsync($"/api/v1/surveys/{id}/{path}");
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{path}: {(int)response.StatusCode} {text}");
            var errors = JsonDocument.Parse(text).RootElement.GetProperty("errors").EnumerateObject().Select(e => e.Name).ToList();
            Assert.True(errors.Contains(field), $"{path}: errors [{string.Join(", ", errors)}], expected {field}");
        }

        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync($"/api/v1/surveys/{Guid.NewGuid()}/nps")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await api.PutAsJsonAsync("/api/v1/segments", new { keys = new[] { "bad key" } })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await api.PutAsJsonAsync("/api/v1/segments", new { keys = Enumerable.Range(0, 11).Select(i => $"k{i}") })).StatusCode);
    }

    [Fact]
    public async Task Trend_flags_a_period_outside_its_control_limits_and_compare_keeps_the_sign()
    {
        await using var server = await PromoterTestServer.StartAsync(DatabaseProvider.Sqlite);
        var ws = await server.CreateWorkspaceAsync("Trend");
        using var api = server.CreateApiClient(ws.ApiKey);
        var id = await Accounts.TenantFixtures.CreateAsync(api, "/api/v1/surveys", new { name = "T", brandName = "T" });
        // Eight calm weeks around NPS +20, then a week of mostly detractors.
        var monday = new DateTime(2026, 1, 5, 12, 0, 0, DateTimeKind.Utc);
        for (var week = 0; week < 9; week++)
        {
            for (var i = 0; i < 40; i++)
            {
                var score = week == 8 ? (i < 30 ? 2 : 9) : (i % 10) switch { < 5 => 9, < 8 => 7, _ => 3 };
                var post = await api.PostAsJsonAsync("/api/v1/responses", new { surveyId = id, score, respondedAt = monday.AddDays(7 * week).AddMinutes(i).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture) });
                post.EnsureSuccessStatusCode();
            }
        }

        var trend = await api.GetFromJsonAsync<JsonElement>($"/api/v1/surveys/{id}/trend?interval=week&from=2026-01-05&to=2026-03-08");
        var periods = trend.GetProperty("periods").EnumerateArray().ToList();
        Assert.Equal(9, periods.Count);
        Assert.All(periods.Take(8), p => Assert.False(p.GetProperty("outOfControl").GetBoolean()));
        Assert.True(periods[8].GetProperty("outOfControl").GetBoolean());
        Assert.True(periods[8].GetProperty("summary").GetProperty("nps").GetDouble() < periods[8].GetProperty("controlLimits").GetProperty("lower").GetDouble());

        var compare = await api.GetFromJsonAsync<JsonElement>($"/api/v1/surveys/{id}/compare?from=2026-03-02&to=2026-03-08&previousFrom=2026-01-05&previousTo=2026-03-01");
        Assert.True(compare.GetProperty("difference").GetDouble() < 0);
        Assert.True(compare.GetProperty("significant").GetBoolean());
    }
}
