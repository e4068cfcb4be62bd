using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Promoter.Accounts;
using Promoter.Collect;
using Promoter.Core;
using Promoter.Core.Text;
using Promoter.Data;
using Promoter.Tests.Accounts;
using Promoter.Tests.Infrastructure;

namespace Promoter.Tests.Understand;

/// <summary>
/// The Why section's numbers against a recount done here with the text pipeline itself: every term's counts per group,
/// after inserts through the API, edits and deletes through the data layer (any write path), on both databases.
/// </summary>
public sealed class UnderstandApiTests
{
    internal static readonly string[] DetractorComments =
    [
        "The delivery was slow and the support never answered.",
        "Slow delivery again, and the package arrived damaged.",
        "Support was rude and the delivery was late.",
        "Too expensive for what you get, slow support.",
        "The app crashes every time I log in.",
        "Late delivery and no refund.",
    ];

    internal static readonly string[] PromoterComments =
    [
        "Friendly support and fast delivery!",
        "Great prices and friendly staff.",
        "Fast delivery, great quality.",
        "The support team was friendly and helpful.",
        "Easy to use app, great value.",
        "Great quality and fast shipping.",
    ];

    internal static readonly string[] PassiveComments = ["It was fine, delivery ok.", "Decent prices but the app is clunky."];

    internal sealed record Sent(long Id, int Score, string Comment);

    internal static async Task<List<Sent>> SeedAsync(HttpClient api, string survey, int rounds, int seed)
    {
        var random = new Random(seed);
        var sent = new List<Sent>();
        for (var i = 0; i < rounds; i++)
        {
            foreach (var (comments, low, high) in new[] { (DetractorComments, 0, 6), (PromoterComments, 9, 10), (PassiveComments, 7, 8) })
            {
                var comment = comments[random.Next(comments.Length)];
                var score = random.Next(low, high + 1);
                using var created = await api.PostAsJsonAsync("/api/v1/responses", new { surveyId = survey, score, comment, language = "en" });
                Assert.Equal(HttpStatusCode.Created, created.StatusCode);
                var body = await created.Content.ReadFromJsonAsync<JsonElement>();
                sent.Add(new Sent(body.GetProperty("id").GetInt64(), score, comment));
            }
        }

        return sent;
    }

    /// <summary>Waits until the worker indexed every queued comment and finished re-tagging.</summary>
    internal static async Task<JsonElement> IndexedAsync(HttpClient api)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var themes = await api.GetFromJsonAsync<JsonElement>("/api/v1/themes");
            var job = themes.GetProperty("retagging");
            if (themes.GetProperty("queued").GetInt64() == 0 && (job.ValueKind == JsonValueKind.Null || job.GetProperty("status").GetString() == "done"))
            {
                return themes;
            }

            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(60), $"Indexing did not finish: {themes}");
            await Task.Delay(100);
        }
    }

    internal static Dictionary<string, (long Detractors, long Passives, long Promoters)> Recount(IEnumerable<Sent> responses)
    {
        var counts = new Dictionary<string, (long, long, long)>(StringComparer.Ordinal);
        foreach (var r in responses)
        {
            foreach (var term in TextAnalyzer.Shared.Terms(r.Comment, "en").Select(t => t.Key).Distinct(StringComparer.Ordinal))
            {
                var (d, p, pr) = counts.GetValueOrDefault(term);
                counts[term] = NpsCategories.Of(r.Score) switch
                {
                    NpsCategory.Detractor => (d + 1, p, pr),
                    NpsCategory.Passive => (d, p + 1, pr),
                    _ => (d, p, pr + 1),
                };
            }
        }

        return counts;
    }

    internal static void AssertTermsMatch(JsonElement words, IReadOnlyCollection<Sent> responses)
    {
        var expected = Recount(responses);
        var terms = words.GetProperty("terms").EnumerateArray().ToList();
        Assert.NotEmpty(terms);
        foreach (var term in terms)
        {
            var key = term.GetProperty("key").GetString()!;
            var counts = term.GetProperty("counts");
            var (d, _, p) = expected[key];
            Assert.Equal(d, counts.GetProperty("detractors").GetInt64());
            Assert.Equal(p, counts.GetProperty("promoters").GetInt64());
            Assert.True(d + p >= words.GetProperty("minCount").GetInt64(), $"{key} is below minCount");
            Assert.Equal(Math.Abs(term.GetProperty("zeta").GetDouble()) > 1.96, term.GetProperty("significant").GetBoolean());
            Assert.Equal(term.GetProperty("delta").GetDouble() / term.GetProperty("sigma").GetDouble(), term.GetProperty("zeta").GetDouble(), 9);
        }

        // δ and σ equal the statistic computed here over the whole recount (the totals and the prior use every term).
        if (words.GetProperty("compare").GetString() == "detractors-promoters" && words.GetProperty("prior").GetString() == "informative")
        {
            var input = expected.Where(e => e.Value.Detractors + e.Value.Promoters > 0)
                .ToDictionary(e => e.Key, e => (e.Value.Detractors, e.Value.Promoters), StringComparer.Ordinal);
            var reference = Promoter.Core.Statistics.Keyness.TwoGroups(input,
                new Promoter.Core.Statistics.KeynessOptions(PriorStrength: words.GetProperty("priorStrength").GetDouble(), MinCount: words.GetProperty("minCount").GetInt64()))
                .ToDictionary(t => t.Key, StringComparer.Ordinal);
            foreach (var term in terms)
            {
                var r = reference[term.GetProperty("key").GetString()!];
                Assert.Equal(r.Delta, term.GetProperty("delta").GetDouble(), 9);
                Assert.Equal(r.Sigma, term.GetProperty("sigma").GetDouble(), 9);
            }
        }

        var responsesByGroup = words.GetProperty("responses");
        Assert.Equal(responses.LongCount(r => r.Score <= 6), responsesByGroup.GetProperty("detractors").GetInt64());
        Assert.Equal(responses.LongCount(r => r.Score >= 9), responsesByGroup.GetProperty("promoters").GetInt64());
    }

    /// <summary>A server on the provider, a workspace, its API client and one survey: what every test here starts from.</summary>
    internal sealed class Setup : IAsyncDisposable
    {
        private Setup(PromoterTestServer server, PromoterTestServer.SeededWorkspace workspace, HttpClient api, string survey) =>
            (Server, Workspace, Api, Survey) = (server, workspace, api, survey);

        public PromoterTestServer Server { get; }
        public PromoterTestServer.SeededWorkspace Workspace { get; }
        public HttpClient Api { get; }
        public string Survey { get; }

        public static async Task<Setup> StartAsync(DatabaseProvider provider, string name)
        {
            var server = await PromoterTestServer.StartAsync(provider);
            var workspace = await server.CreateWorkspaceAsync(name + " " + provider);
            var api = server.CreateApiClient(workspace.ApiKey);
            return new Setup(server, workspace, api, await TenantFixtures.CreateAsync(api, "/api/v1/surveys", TenantFixtures.SampleSurvey(name)));
        }

        public void Deconstruct(out PromoterTestServer server, out PromoterTestServer.SeededWorkspace workspace, out HttpClient api, out string survey) =>
            (server, workspace, api, survey) = (Server, Workspace, Api, Survey);

        public async ValueTask DisposeAsync()
        {
            Api.Dispose();
            await Server.DisposeAsync();
        }
    }

    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task Term_counts_equal_a_recount_after_inserts_edits_and_deletes(DatabaseProvider provider)
    {
        await using var setup = await Setup.StartAsync(provider, "Words ");
        var (server, ws, api, survey) = setup;
        var sent = await SeedAsync(api, survey, rounds: 12, seed: 13);
        await IndexedAsync(api);

        var words = await api.GetFromJsonAsync<JsonElement>($"/api/v1/surveys/{survey}/words?minCount=3&limit=200");
        AssertTermsMatch(words, sent);
        var detractorSide = words.GetProperty("terms").EnumerateArray().Where(t => t.GetProperty("category").GetString() == "detractors").ToList();
        Assert.Contains(detractorSide, t => t.GetProperty("term").GetString()!.StartsWith("slow", StringComparison.Ordinal));
        // Examples: at most three, shortest first, from the term's own group.
        foreach (var term in detractorSide)
        {
            var examples = term.GetProperty("examples").EnumerateArray().ToList();
            Assert.InRange(examples.Count, 1, 3);
            Assert.All(examples, e => Assert.InRange(e.GetProperty("score").GetInt32(), 0, 6));
            var lengths = examples.Select(e => e.GetProperty("comment").GetString()!.Length).ToList();
            Assert.Equal(lengths.Order().ToList(), lengths);
        }

        // Any write path: an edit of comment and score, a response made provisional, a deletion; the counts follow.
        var edited = sent[0];
        var provisional = sent[1];
        var deleted = sent[2];
        await server.InWorkspaceAsync(ws.Id, async sp =>
        {
            var db = sp.GetRequiredService<PromoterDb>();
            var r = await db.Responses.SingleAsync(x => x.Id == edited.Id);
            r.Comment = "Great support, fast delivery.";
            r.Score = 10;
            var p = await db.Responses.SingleAsync(x => x.Id == provisional.Id);
            p.Status = ResponseStatus.Provisional;
            db.Responses.Remove(await db.Responses.SingleAsync(x => x.Id == deleted.Id));
            return await db.SaveChangesAsync();
        });
        var now = sent.Where(s => s != provisional && s != deleted).Select(s => s == edited ? new Sent(s.Id, 10, "Great support, fast delivery.") : s).ToList();
        await IndexedAsync(api);
        AssertTermsMatch(await api.GetFromJsonAsync<JsonElement>($"/api/v1/surveys/{survey}/words?minCount=3&limit=200"), now);

        // A filter (channel) takes the raw path over the stored terms: the same counts for the same responses.
        AssertTermsMatch(await api.GetFromJsonAsync<JsonElement>($"/api/v1/surveys/{survey}/words?minCount=3&limit=200&channel=api"), now);
        var none = await api.GetFromJsonAsync<JsonElement>($"/api/v1/surveys/{survey}/words?channel=kiosk");
        Assert.Empty(none.GetProperty("terms").EnumerateArray());

        // Each category against all: every category gets its own terms.
        var each = await api.GetFromJsonAsync<JsonElement>($"/api/v1/surveys/{survey}/words?compare=each&minCount=3");
        var categories = each.GetProperty("terms").EnumerateArray().Select(t => t.GetProperty("category").GetString()).Distinct().ToList();
        Assert.Contains("detractors", categories);
        Assert.Contains("promoters", categories);
    }

    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task Imported_comments_are_indexed_and_tagged_like_any_other(DatabaseProvider provider)
    {
        await using var setup = await Setup.StartAsync(provider, "Import words ");
        var (server, ws, api, survey) = setup;
        using (var theme = await api.PostAsJsonAsync("/api/v1/themes", new { name = "Support", terms = new Dictionary<string, string[]> { ["en"] = ["support"] } }))
        {
            theme.EnsureSuccessStatusCode();
        }

        var random = new Random(11);
        var comments = DetractorComments.Concat(PromoterComments).ToArray();
        var rows = Enumerable.Range(0, 400).Select(i =>
        {
            var comment = comments[random.Next(comments.Length)];
            return (Score: DetractorComments.Contains(comment) ? random.Next(0, 7) : random.Next(9, 11), Comment: comment,
                At: new DateTime(2025, 3, 1, 0, 0, 0, DateTimeKind.Utc).AddHours(i));
        }).ToList();
        var csv = "score,responded_at,comment,language\n" + string.Concat(rows.Select(r =>
            $"{r.Score},{r.At:yyyy-MM-ddTHH:mm:ssZ},\"{r.Comment}\",en\n"));
        var result = await server.InWorkspaceAsync(ws.Id, async sp =>
        {
            await using var stream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(csv));
            return await sp.GetRequiredService<ResponseImporter>().ImportAsync(stream, new ImportRequest { SurveyId = Guid.Parse(survey) }, CancellationToken.None);
        });
        Assert.Equal(400, result.Imported);
        await IndexedAsync(api);
        var sent = rows.Select((r, i) => new Sent(i, r.Score, r.Comment)).ToList();
        AssertTermsMatch(await api.GetFromJsonAsync<JsonElement>($"/api/v1/surveys/{survey}/words?minCount=3&limit=200"), sent);
        var support = TextAnalyzer.Shared.Terms("support", "en")[0].Key;
        var themes = await api.GetFromJsonAsync<JsonElement>($"/api/v1/surveys/{survey}/themes");
        Assert.Equal(sent.Count(s => TextAnalyzer.Shared.Terms(s.Comment, "en").Any(t => t.Key == support)),
            themes.GetProperty("themes")[0].GetProperty("summary").GetProperty("n").GetInt64());
    }

    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task Theme_impact_equals_a_hand_computed_example_and_themes_filter_the_dashboard(DatabaseProvider provider)
    {
        await using var setup = await Setup.StartAsync(provider, "Themes ");
        var (server, ws, api, survey) = setup;
        // Price is mentioned by scores 0, 3, 6 and 9; not by 10, 10, 9, 8, 7, 5.
        var data = new (int Score, string Comment)[]
        {
            (0, "Far too expensive."), (3, "The price went up again."), (6, "Expensive, but it works."), (9, "Worth the price."),
            (10, "Wonderful service."), (10, "Friendly staff."), (9, "Quick and easy."), (8, "Good enough."), (7, "Fine overall."), (5, "Slow service."),
        };
        foreach (var (score, comment) in data)
        {
            (await api.PostAsJsonAsync("/api/v1/responses", new { surveyId = survey, score, comment, language = "en" })).EnsureSuccessStatusCode();
        }

        await IndexedAsync(api);
        using var created = await api.PostAsJsonAsync("/api/v1/themes", new { name = "Price", terms = new Dictionary<string, string[]> { ["en"] = ["price", "expensive"] } });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var themeId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        await IndexedAsync(api);

        // All: 4 promoters (9, 10, 10, 9), 4 detractors (0, 3, 6, 5) of 10 → NPS 0.
        // Without the theme: 10, 10, 9, 8, 7, 5 → 3 promoters, 1 detractor of 6 → NPS 33.33.
        // Impact = 0 − 33.33 = −33.33. With the theme: 0, 3, 6, 9 → 1 promoter, 3 detractors of 4 → NPS −50.
        var report = await api.GetFromJsonAsync<JsonElement>($"/api/v1/surveys/{survey}/themes");
        var price = report.GetProperty("themes").EnumerateArray().Single();
        Assert.Equal("Price", price.GetProperty("name").GetString());
        Assert.Equal(4, price.GetProperty("summary").GetProperty("n").GetInt64());
        Assert.Equal(-50, price.GetProperty("summary").GetProperty("nps").GetDouble(), 6);
        Assert.Equal(-100.0 / 3, price.GetProperty("impact").GetDouble(), 6);
        Assert.Equal(100.0 / 3, price.GetProperty("npsWithout").GetDouble(), 6);
        Assert.Equal(0.4, price.GetProperty("share").GetDouble(), 6);
        var interval = price.GetProperty("impactInterval");
        Assert.True(interval.GetProperty("low").GetDouble() < -100.0 / 3 && interval.GetProperty("high").GetDouble() > -100.0 / 3);

        // A theme is a dashboard filter and a breakdown dimension.
        var filtered = await api.GetFromJsonAsync<JsonElement>($"/api/v1/surveys/{survey}/nps?theme={themeId}");
        Assert.Equal(4, filtered.GetProperty("summary").GetProperty("n").GetInt64());
        // …and a trend by week or month.
        var trend = await api.GetFromJsonAsync<JsonElement>($"/api/v1/surveys/{survey}/trend?theme={themeId}&interval=week");
        Assert.Equal(4, trend.GetProperty("periods").EnumerateArray().Sum(p => p.GetProperty("summary").GetProperty("n").GetInt64()));
        var twoFilters = await api.GetFromJsonAsync<JsonElement>($"/api/v1/surveys/{survey}/nps?theme={themeId}&channel=api");
        Assert.Equal(4, twoFilters.GetProperty("summary").GetProperty("n").GetInt64());
        var breakdown = await api.GetFromJsonAsync<JsonElement>($"/api/v1/surveys/{survey}/breakdown?by=theme");
        Assert.Equal(4, breakdown.GetProperty("rows").EnumerateArray().Single(r => r.GetProperty("value").GetString() == themeId).GetProperty("summary").GetProperty("n").GetInt64());
        var filteredBreakdown = await api.GetFromJsonAsync<JsonElement>($"/api/v1/surveys/{survey}/breakdown?by=theme&channel=api");
        Assert.Equal(4, filteredBreakdown.GetProperty("rows").EnumerateArray().Single().GetProperty("summary").GetProperty("n").GetInt64());

        // Exports: a "themes" column, and the theme filter like the dashboard's.
        var csv = await api.GetStringAsync($"/export/responses.csv?survey={survey}&theme={themeId}");
        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Contains("themes", lines[0].Split(','));
        Assert.Equal(5, lines.Length);
        Assert.All(lines[1..], l => Assert.Contains(",Price,", l, StringComparison.Ordinal));
        var all = (await api.GetStringAsync($"/export/responses.csv?survey={survey}")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(11, all.Length);

        // Editing the theme re-tags the past responses exactly: now only "expensive".
        (await api.PutAsJsonAsync($"/api/v1/themes/{themeId}", new { name = "Price", terms = new Dictionary<string, string[]> { ["en"] = ["expensive"] } })).EnsureSuccessStatusCode();
        await IndexedAsync(api);
        report = await api.GetFromJsonAsync<JsonElement>($"/api/v1/surveys/{survey}/themes");
        Assert.Equal(2, report.GetProperty("themes")[0].GetProperty("summary").GetProperty("n").GetInt64());
        Assert.Equal(2, (await api.GetFromJsonAsync<JsonElement>($"/api/v1/surveys/{survey}/nps?theme={themeId}")).GetProperty("summary").GetProperty("n").GetInt64());

        // A new response is tagged on write; deleting the theme removes its counts.
        (await api.PostAsJsonAsync("/api/v1/responses", new { surveyId = survey, score = 2, comment = "So expensive!", language = "en" })).EnsureSuccessStatusCode();
        await IndexedAsync(api);
        Assert.Equal(3, (await api.GetFromJsonAsync<JsonElement>($"/api/v1/surveys/{survey}/nps?theme={themeId}")).GetProperty("summary").GetProperty("n").GetInt64());
        Assert.Equal(HttpStatusCode.NoContent, (await api.DeleteAsync($"/api/v1/themes/{themeId}")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await api.GetAsync($"/api/v1/surveys/{survey}/nps?theme={themeId}")).StatusCode);
        Assert.Empty((await api.GetFromJsonAsync<JsonElement>($"/api/v1/surveys/{survey}/breakdown?by=theme")).GetProperty("rows").EnumerateArray());
    }

    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task Hostile_input_gets_a_4xx_naming_the_field_or_a_sane_answer(DatabaseProvider provider)
    {
        await using var setup = await Setup.StartAsync(provider, "Hostile ");
        var (server, ws, api, survey) = setup;

        async Task ExpectFieldAsync(HttpResponseMessage response, string field)
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"{field} not named in {problem}");
        }

        await ExpectFieldAsync(await api.GetAsync($"/api/v1/surveys/{survey}/words?minCount=-1"), "minCount");
        await ExpectFieldAsync(await api.GetAsync($"/api/v1/surveys/{survey}/words?compare=loudest"), "compare");
        await ExpectFieldAsync(await api.GetAsync($"/api/v1/surveys/{survey}/words?prior=magic"), "prior");
        await ExpectFieldAsync(await api.GetAsync($"/api/v1/surveys/{survey}/words?priorStrength=0"), "priorStrength");
        await ExpectFieldAsync(await api.GetAsync($"/api/v1/surveys/{survey}/words?alpha=NaN"), "alpha");
        await ExpectFieldAsync(await api.GetAsync($"/api/v1/surveys/{survey}/words?language=fr"), "language");
        await ExpectFieldAsync(await api.GetAsync($"/api/v1/surveys/{survey}/words?limit=100000"), "limit");
        await ExpectFieldAsync(await api.GetAsync($"/api/v1/surveys/{survey}/words?theme=not-a-guid"), "theme");
        await ExpectFieldAsync(await api.GetAsync($"/api/v1/surveys/{survey}/themes?theme={Guid.NewGuid()}"), "theme");
        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync($"/api/v1/surveys/{Guid.NewGuid()}/words")).StatusCode);

        // Comments no pipeline expects: one character 5,000 times, mixed scripts, invisible characters.
        string[] comments =
        [
            new('a', 5000), new('ก', 5000), "Delivery\u200B\u200Bslow \u2066late\u2069 التوصيل بطيء บริการช้ามาก доставката доцни",
            "\u200E\u200F\u00AD\uFEFF", "slow slow slow slow slow",
        ];
        foreach (var comment in comments)
        {
            (await api.PostAsJsonAsync("/api/v1/responses", new { surveyId = survey, score = 2, comment })).EnsureSuccessStatusCode();
            (await api.PostAsJsonAsync("/api/v1/responses", new { surveyId = survey, score = 10, comment })).EnsureSuccessStatusCode();
        }

        await IndexedAsync(api);
        var words = await api.GetAsync($"/api/v1/surveys/{survey}/words?minCount=1");
        Assert.Equal(HttpStatusCode.OK, words.StatusCode);
        var body = await words.Content.ReadFromJsonAsync<JsonElement>();
        // "slow" five times counts once per response.
        foreach (var term in body.GetProperty("terms").EnumerateArray().Where(t => t.GetProperty("key").GetString() == TextAnalyzer.Shared.Terms("slow", "en")[0].Key))
        {
            Assert.True(term.GetProperty("counts").GetProperty("detractors").GetInt64() <= 2);
        }

        // Themes: no name, no terms, an unknown language, a phrase of four words, a phrase of only stop words, 1,001 terms.
        await ExpectFieldAsync(await api.PostAsJsonAsync("/api/v1/themes", new { name = " ", terms = new Dictionary<string, string[]> { ["en"] = ["slow"] } }), "name");
        await ExpectFieldAsync(await api.PostAsJsonAsync("/api/v1/themes", new { name = "Empty", terms = new Dictionary<string, string[]>() }), "terms");
        await ExpectFieldAsync(await api.PostAsJsonAsync("/api/v1/themes", new { name = "French", terms = new Dictionary<string, string[]> { ["fr"] = ["lent"] } }), "terms.fr");
        await ExpectFieldAsync(await api.PostAsJsonAsync("/api/v1/themes", new { name = "Long", terms = new Dictionary<string, string[]> { ["en"] = ["slow", "very slow late delivery service"] } }), "terms.en[1]");
        await ExpectFieldAsync(await api.PostAsJsonAsync("/api/v1/themes", new { name = "Stop", terms = new Dictionary<string, string[]> { ["en"] = ["the and of"] } }), "terms.en[0]");
        // Letters only (a word with digits is a number to the pipeline): "zaa", "zab", … — 1,001 distinct words.
        var tooMany = Enumerable.Range(0, 1001).Select(i => $"z{(char)('a' + (i / 676))}{(char)('a' + (i / 26 % 26))}{(char)('a' + (i % 26))}").ToArray();
        await ExpectFieldAsync(await api.PostAsJsonAsync("/api/v1/themes", new { name = "Huge", terms = new Dictionary<string, string[]> { ["en"] = tooMany } }), "terms");
        Assert.Empty((await api.GetFromJsonAsync<JsonElement>("/api/v1/themes")).GetProperty("items").EnumerateArray());

        // A theme with 1,000 terms is fine, and so is the re-tagging it starts.
        using var big = await api.PostAsJsonAsync("/api/v1/themes", new { name = "Big", terms = new Dictionary<string, string[]> { ["en"] = tooMany[..999].Append("slow").ToArray() } });
        Assert.Equal(HttpStatusCode.Created, big.StatusCode);
        await ExpectFieldAsync(await api.PostAsJsonAsync("/api/v1/themes", new { name = "Big", terms = new Dictionary<string, string[]> { ["en"] = ["late"] } }), "name");
        await IndexedAsync(api);
        var themes = await api.GetFromJsonAsync<JsonElement>($"/api/v1/surveys/{survey}/themes");
        // "slow" stands in the two "slow slow slow…" responses; in "Delivery\u200B\u200Bslow" the invisible characters are
        // dropped, not read as a space (so that "fa\u200Bst" stays one word), which glues "deliveryslow".
        Assert.Equal(2, themes.GetProperty("themes")[0].GetProperty("summary").GetProperty("n").GetInt64());
    }

    [Fact]
    public async Task Examples_are_shown_only_to_keys_that_may_read_responses()
    {
        await using var server = await PromoterTestServer.StartAsync(DatabaseProvider.Sqlite);
        var ws = await server.CreateWorkspaceAsync("Examples");
        using var api = server.CreateApiClient(ws.ApiKey);
        var survey = await TenantFixtures.CreateAsync(api, "/api/v1/surveys", TenantFixtures.SampleSurvey("Examples"));
        await SeedAsync(api, survey, rounds: 6, seed: 5);
        await IndexedAsync(api);
        using var metricsOnly = server.CreateApiClient(await server.CreateApiKeyAsync(ws.Id, [Scopes.MetricsRead]));
        var words = await metricsOnly.GetFromJsonAsync<JsonElement>($"/api/v1/surveys/{survey}/words?minCount=2");
        Assert.NotEmpty(words.GetProperty("terms").EnumerateArray());
        Assert.All(words.GetProperty("terms").EnumerateArray(), t => Assert.Equal(JsonValueKind.Null, t.GetProperty("examples").ValueKind));

        // Another workspace's key sees neither the survey's words nor the themes.
        var other = await server.CreateWorkspaceAsync("Other");
        using var stranger = server.CreateApiClient(other.ApiKey);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync($"/api/v1/surveys/{survey}/words")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync($"/api/v1/surveys/{survey}/themes")).StatusCode);
    }

    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task Whole_months_kept_in_memory_follow_a_new_time_zone(DatabaseProvider provider)
    {
        await using var setup = await Setup.StartAsync(provider, "Months ");
        var (server, ws, api, survey) = setup;
        // Mid-January, and the evening of 31 January UTC, which is 1 February in Bangkok (UTC+7).
        var mid = new DateTime(2026, 1, 15, 12, 0, 0, DateTimeKind.Utc);
        var evening = new DateTime(2026, 1, 31, 20, 0, 0, DateTimeKind.Utc);
        var rows = new List<SurveyResponse>();
        foreach (var (at, i) in new[] { mid, evening }.SelectMany(at => Enumerable.Range(0, 6).Select(i => (at, i))))
        {
            var (comment, score) = i % 2 == 0 ? (DetractorComments[i], (short)3) : (PromoterComments[i], (short)10);
            rows.Add(new SurveyResponse
            {
                SurveyId = Guid.Parse(survey), Score = score, Comment = comment, Channel = "api", Language = "en", Status = ResponseStatus.Final,
                RespondedAt = at.AddMinutes(i), CreatedAt = at, UpdatedAt = at,
            });
        }

        await server.InWorkspaceAsync(ws.Id, async sp =>
        {
            var db = sp.GetRequiredService<PromoterDb>();
            db.Responses.AddRange(rows);
            return await db.SaveChangesAsync();
        });
        await IndexedAsync(api);
        var sent = rows.Select(r => new Sent(r.Id, r.Score, r.Comment!)).ToList();
        const string January = "from=2026-01-01&to=2026-01-31&minCount=1&limit=200";
        // Asked twice: the second answer comes from the month kept in memory.
        AssertTermsMatch(await api.GetFromJsonAsync<JsonElement>($"/api/v1/surveys/{survey}/words?{January}"), sent);
        AssertTermsMatch(await api.GetFromJsonAsync<JsonElement>($"/api/v1/surveys/{survey}/words?{January}"), sent);

        (await api.PatchAsJsonAsync("/api/v1/workspace", new { timeZone = "Asia/Bangkok" })).EnsureSuccessStatusCode();
        await IndexedAsync(api);
        var january = sent.Where(s => rows.Single(r => r.Id == s.Id).RespondedAt < evening).ToList();
        Assert.Equal(6, january.Count);
        AssertTermsMatch(await api.GetFromJsonAsync<JsonElement>($"/api/v1/surveys/{survey}/words?{January}"), january);
        AssertTermsMatch(await api.GetFromJsonAsync<JsonElement>($"/api/v1/surveys/{survey}/words?from=2026-02-01&to=2026-02-28&minCount=1&limit=200"),
            sent.Except(january).ToList());

        // Partial months come from the months' daily copies: one day, two partial months, and a range from mid-month on.
        AssertTermsMatch(await api.GetFromJsonAsync<JsonElement>($"/api/v1/surveys/{survey}/words?from=2026-01-15&to=2026-01-15&minCount=1&limit=200"), january);
        AssertTermsMatch(await api.GetFromJsonAsync<JsonElement>($"/api/v1/surveys/{survey}/words?from=2026-01-15&to=2026-02-01&minCount=1&limit=200"), sent);
        AssertTermsMatch(await api.GetFromJsonAsync<JsonElement>($"/api/v1/surveys/{survey}/words?from=2026-01-16&to=2026-03-31&minCount=1&limit=200"),
            sent.Except(january).ToList());
        var none = await api.GetFromJsonAsync<JsonElement>($"/api/v1/surveys/{survey}/words?from=2026-01-16&to=2026-01-31&minCount=1");
        Assert.Empty(none.GetProperty("terms").EnumerateArray());
        Assert.Equal(0, none.GetProperty("responses").GetProperty("detractors").GetInt64());
    }
}
