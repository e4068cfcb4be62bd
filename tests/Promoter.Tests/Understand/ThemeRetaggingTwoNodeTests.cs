using System.Net.Http.Json;
using System.Text.Json;
using Promoter.Collect;
using Promoter.Core.Text;
using Promoter.Data;
using Promoter.Tests.Accounts;
using Promoter.Tests.Infrastructure;

namespace Promoter.Tests.Understand;

/// <summary>
/// Two nodes on one PostgreSQL, both running the text worker: every comment is counted once, and a theme edit's
/// re-tagging job runs once (its chunks are not repeated by the other node) and tags exactly the right responses.
/// </summary>
public sealed class ThemeRetaggingTwoNodeTests
{
    private const int Responses = 3_000;
    private const int Chunk = 250;

    [Fact]
    public async Task Two_nodes_index_every_comment_once_and_run_the_retagging_job_once()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Postgres);
        var settings = new Dictionary<string, string?> { ["Understand:RetagChunkSize"] = Chunk.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        await using var first = await PromoterTestServer.StartAsync(DatabaseProvider.Postgres, new PromoterTestServer.Options { Database = database, Settings = settings });
        await using var second = await PromoterTestServer.StartAsync(DatabaseProvider.Postgres, new PromoterTestServer.Options { Database = database, Settings = settings });
        var ws = await first.CreateWorkspaceAsync("Two nodes");
        using var api = first.CreateApiClient(ws.ApiKey);
        using var api2 = second.CreateApiClient(ws.ApiKey);
        var survey = Guid.Parse(await TenantFixtures.CreateAsync(api, "/api/v1/surveys", TenantFixtures.SampleSurvey("Two nodes")));

        var random = new Random(2026);
        var comments = UnderstandApiTests.DetractorComments.Concat(UnderstandApiTests.PromoterComments).Concat(UnderstandApiTests.PassiveComments).ToArray();
        var sent = new List<UnderstandApiTests.Sent>();
        var start = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        // Half through each node's data layer: both nodes' workers find queued comments written by either.
        foreach (var (server, half) in new[] { (first, 0), (second, 1) })
        {
            var rows = Enumerable.Range(0, Responses / 2).Select(i =>
            {
                var comment = comments[random.Next(comments.Length)];
                var score = (short)(UnderstandApiTests.DetractorComments.Contains(comment) ? random.Next(0, 7)
                    : UnderstandApiTests.PromoterComments.Contains(comment) ? random.Next(9, 11) : random.Next(7, 9));
                return new SurveyResponse
                {
                    SurveyId = survey, Score = score, Comment = comment, Channel = "api", Language = "en", Status = ResponseStatus.Final,
                    RespondedAt = start.AddMinutes(i + (half * Responses)), CreatedAt = start, UpdatedAt = start,
                };
            }).ToList();
            await server.InWorkspaceAsync(ws.Id, async sp =>
            {
                var db = sp.GetRequiredService<PromoterDb>();
                db.Responses.AddRange(rows);
                return await db.SaveChangesAsync();
            });
            sent.AddRange(rows.Select(r => new UnderstandApiTests.Sent(r.Id, r.Score, r.Comment!)));
        }

        await UnderstandApiTests.IndexedAsync(api);
        // Counted once: the words API on either node equals a recount.
        UnderstandApiTests.AssertTermsMatch(await api.GetFromJsonAsync<JsonElement>($"/api/v1/surveys/{survey}/words?minCount=3&limit=200"), sent);
        UnderstandApiTests.AssertTermsMatch(await api2.GetFromJsonAsync<JsonElement>($"/api/v1/surveys/{survey}/words?minCount=3&limit=200"), sent);

        // A theme created on one node: the job is taken by whichever node gets it, in chunks that are never repeated.
        using var created = await api2.PostAsJsonAsync("/api/v1/themes", new { name = "Delivery", terms = new Dictionary<string, string[]> { ["en"] = ["delivery", "shipping"] } });
        created.EnsureSuccessStatusCode();
        var themeId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        var list = await UnderstandApiTests.IndexedAsync(api);
        var job = list.GetProperty("retagging");
        Assert.Equal("done", job.GetProperty("status").GetString());
        Assert.Equal(Responses, job.GetProperty("total").GetInt64());
        Assert.Equal(Responses, job.GetProperty("done").GetInt64());
        Assert.Equal(Responses / Chunk, job.GetProperty("chunks").GetInt32());

        var keys = new[] { "delivery", "shipping" }.Select(w => TextAnalyzer.Shared.Terms(w, "en")[0].Key).ToHashSet();
        bool HasTheme(UnderstandApiTests.Sent s) => TextAnalyzer.Shared.Terms(s.Comment, "en").Any(t => keys.Contains(t.Key));
        var expected = sent.Count(HasTheme);
        Assert.InRange(expected, 1, Responses - 1);
        foreach (var client in new[] { api, api2 })
        {
            var nps = await client.GetFromJsonAsync<JsonElement>($"/api/v1/surveys/{survey}/nps?theme={themeId}");
            Assert.Equal(expected, nps.GetProperty("summary").GetProperty("n").GetInt64());
        }

        // An edit on the other node re-tags exactly again.
        (await api.PutAsJsonAsync($"/api/v1/themes/{themeId}", new { name = "Delivery", terms = new Dictionary<string, string[]> { ["en"] = ["late"] } })).EnsureSuccessStatusCode();
        job = (await UnderstandApiTests.IndexedAsync(api2)).GetProperty("retagging");
        Assert.Equal(Responses / Chunk, job.GetProperty("chunks").GetInt32());
        var late = TextAnalyzer.Shared.Terms("late", "en")[0].Key;
        Assert.Equal(sent.Count(s => TextAnalyzer.Shared.Terms(s.Comment, "en").Any(t => t.Key == late)),
            (await api2.GetFromJsonAsync<JsonElement>($"/api/v1/surveys/{survey}/nps?theme={themeId}")).GetProperty("summary").GetProperty("n").GetInt64());

        // Each node keeps January's term counts in memory (TermCountCache). Comments changed and removed through the first node's
        // data layer: the second node's next answer must see them (the month's version moved), not its cached copy.
        const string Range = "from=2026-01-01&to=2026-01-31&minCount=3&limit=200";
        UnderstandApiTests.AssertTermsMatch(await api2.GetFromJsonAsync<JsonElement>($"/api/v1/surveys/{survey}/words?{Range}"), sent);
        var changed = sent.Take(300).Select(s => s.Id).ToHashSet();
        var removed = sent.Skip(300).Take(100).Select(s => s.Id).ToHashSet();
        await first.InWorkspaceAsync(ws.Id, async sp =>
        {
            var db = sp.GetRequiredService<PromoterDb>();
            foreach (var r in db.Responses.Where(r => changed.Contains(r.Id) || removed.Contains(r.Id)).ToList())
            {
                if (removed.Contains(r.Id))
                {
                    db.Responses.Remove(r);
                }
                else
                {
                    (r.Comment, r.Score) = ("Slow refund, rude support.", 2);
                }
            }

            return await db.SaveChangesAsync();
        });
        var now = sent.Where(s => !removed.Contains(s.Id)).Select(s => changed.Contains(s.Id) ? s with { Score = 2, Comment = "Slow refund, rude support." } : s).ToList();
        await UnderstandApiTests.IndexedAsync(api);
        foreach (var client in new[] { api2, api })
        {
            var words = await client.GetFromJsonAsync<JsonElement>($"/api/v1/surveys/{survey}/words?{Range}");
            UnderstandApiTests.AssertTermsMatch(words, now);
            Assert.Contains(words.GetProperty("terms").EnumerateArray(), t => t.GetProperty("key").GetString() == TextAnalyzer.Shared.Terms("refund", "en")[0].Key);
        }
    }
}
