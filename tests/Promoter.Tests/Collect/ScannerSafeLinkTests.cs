using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using Promoter.Collect;
using Promoter.Collect.Respondent;
using Promoter.Data;
using Promoter.Tests.Infrastructure;

namespace Promoter.Tests.Collect;

/// <summary>
/// Mail scanners open every link of an email, HEAD and GET, some with a full browser. None of that may become a
/// response or burn the token; provisional scores are held back when the visits look like one.
/// </summary>
public sealed class ScannerSafeLinkTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = RespondentKit.NewClock();
    private PromoterTestServer _server = null!;
    private PromoterTestServer.SeededWorkspace _ws = null!;
    private HttpClient _api = null!;
    private HttpClient _client = null!;
    private Guid _survey;

    public async Task InitializeAsync()
    {
        _server = await PromoterTestServer.StartAsync(DatabaseProvider.Sqlite, new() { Clock = _clock });
        _ws = await _server.CreateWorkspaceAsync("Scanners");
        _api = _server.CreateApiClient(_ws.ApiKey);
        _client = _server.CreateClient();
        _survey = await RespondentKit.CreateSurveyAsync(_api);
    }

    public async Task DisposeAsync()
    {
        _api.Dispose();
        _client.Dispose();
        await _server.DisposeAsync();
    }

    private DateTime Now => _clock.GetUtcNow().UtcDateTime;

    [Fact]
    public async Task A_scanner_opening_all_eleven_score_links_records_suspected_hits_and_no_response()
    {
        var invitation = await RespondentKit.CreateInvitationAsync(_server, _ws.Id, _survey, Now.AddHours(-3));
        var url = $"/r/{invitation.Token}";

        for (var score = 0; score <= 10; score++)
        {
            using var head = await _client.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"{url}?score={score}"));
            Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        }

        Assert.Empty(await HitsAsync()); // HEAD writes nothing at all
        var pages = await Task.WhenAll(Enumerable.Range(0, 11).Select(score => RespondentKit.OpenAsync(_client, $"{url}?score={score}")));
        _clock.Advance(TimeSpan.FromMilliseconds(800));

        Assert.Contains("value=\"7\" aria-label=\"7\" checked=\"checked\"", pages[7].Html, StringComparison.Ordinal); // shown preselected
        Assert.Empty(await RespondentKit.ResponsesAsync(_server, _ws.Id));
        var hits = await HitsAsync();
        Assert.Equal(11, hits.Count);
        Assert.All(hits, h => Assert.True(h.Suspected, $"hit on {h.Score} not suspected"));
        Assert.Equal(Enumerable.Range(0, 11).Select(s => (short?)s), hits.Select(h => h.Score).Order());

        // A scanner's provisional score is refused, and so is any later one from this token's page.
        var refused = await ProvisionalAsync(url, 9, pages[9].Ticket);
        Assert.Equal(HttpStatusCode.Accepted, refused.StatusCode);
        Assert.Equal("suspected_scanner", (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("reason").GetString());
        Assert.Empty(await RespondentKit.ResponsesAsync(_server, _ws.Id));

        // The token still works, and the person's own Submit records exactly one response.
        _clock.Advance(TimeSpan.FromMinutes(20));
        var (page, ticket) = await RespondentKit.OpenAsync(_client, $"{url}?score=6");
        Assert.Contains("We&#x27;re sorry to hear that.", page, StringComparison.Ordinal);
        var (status, _) = await RespondentKit.PostAsync(_client, url, ("t", ticket), ("score", "6"), ("comment", "The app crashes"));
        Assert.Equal(HttpStatusCode.OK, status);
        var response = Assert.Single(await RespondentKit.ResponsesAsync(_server, _ws.Id));
        Assert.Equal((6, ResponseStatus.Final, false), (response.Score, response.Status, response.ImplicitlyConfirmed));
    }

    [Fact]
    public async Task Hits_right_after_delivery_are_suspected_and_a_single_later_click_is_not()
    {
        var fresh = await RespondentKit.CreateInvitationAsync(_server, _ws.Id, _survey, Now.AddSeconds(-30));
        var old = await RespondentKit.CreateInvitationAsync(_server, _ws.Id, _survey, Now.AddDays(-1));

        await RespondentKit.OpenAsync(_client, $"/r/{fresh.Token}?score=8");
        await RespondentKit.OpenAsync(_client, $"/r/{old.Token}?score=8");
        await RespondentKit.OpenAsync(_client, $"/r/{old.Token}?score=8"); // the same button twice is a person, not a scan

        var hits = await HitsAsync();
        Assert.True(hits.Single(h => h.InvitationId == fresh.Id).Suspected);
        Assert.All(hits.Where(h => h.InvitationId == old.Id), h => Assert.False(h.Suspected));
        Assert.Equal(30, hits.Single(h => h.InvitationId == fresh.Id).SecondsSinceDelivery!.Value, 1);
        Assert.All(hits, h => Assert.Equal("127.0.0.0/24", h.NetworkPrefix));
    }

    [Fact]
    public async Task A_provisional_score_is_finalized_after_thirty_minutes_without_submit()
    {
        var invitation = await RespondentKit.CreateInvitationAsync(_server, _ws.Id, _survey, Now.AddHours(-1));
        var url = $"/r/{invitation.Token}";
        var (html, ticket) = await RespondentKit.OpenAsync(_client, $"{url}?score=9");
        Assert.Contains($"data-provisional=\"{url}/provisional?lang=en\"", html, StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.OK, (await ProvisionalAsync(url, 9, ticket)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await ProvisionalAsync(url, 10, ticket)).StatusCode); // changing it keeps one row
        var provisional = Assert.Single(await RespondentKit.ResponsesAsync(_server, _ws.Id));
        Assert.Equal((10, ResponseStatus.Provisional), (provisional.Score, provisional.Status));
        Assert.Empty((await _api.GetFromJsonAsync<JsonElement>("/api/v1/responses")).GetProperty("data").EnumerateArray());

        await using (var scope = _server.Services.CreateAsyncScope())
        {
            _clock.Advance(TimeSpan.FromMinutes(29));
            Assert.Equal(0, await scope.ServiceProvider.GetRequiredService<ResponseFinalizer>().FinalizeDueAsync(CancellationToken.None));
        }

        // The worker ticks on the injected clock: two more minutes and it finalizes by itself.
        _clock.Advance(TimeSpan.FromMinutes(2));
        var final = await EventuallyAsync(async () => (await RespondentKit.ResponsesAsync(_server, _ws.Id)).Single(), r => r.Status == ResponseStatus.Final);
        Assert.True(final.ImplicitlyConfirmed);
        Assert.Equal(10, final.Score);
        Assert.Single((await _api.GetFromJsonAsync<JsonElement>("/api/v1/responses")).GetProperty("data").EnumerateArray());
        Assert.Equal(Distribution.InvitationStatus.Responded,
            await RespondentKit.QueryAsync(_server, _ws.Id, db => db.Invitations.Where(i => i.Id == invitation.Id).Select(i => i.Status).SingleAsync()));
    }

    [Fact]
    public async Task Submit_turns_a_provisional_score_into_a_final_answer_which_no_provisional_score_replaces()
    {
        var invitation = await RespondentKit.CreateInvitationAsync(_server, _ws.Id, _survey, Now.AddHours(-1));
        var url = $"/r/{invitation.Token}";
        var (_, ticket) = await RespondentKit.OpenAsync(_client, $"{url}?score=5");
        Assert.Equal(HttpStatusCode.OK, (await ProvisionalAsync(url, 5, ticket)).StatusCode);

        var (status, _) = await RespondentKit.PostAsync(_client, url, ("t", ticket), ("score", "5"), ("comment", "Average"));
        Assert.Equal(HttpStatusCode.OK, status);
        var response = Assert.Single(await RespondentKit.ResponsesAsync(_server, _ws.Id));
        Assert.Equal((ResponseStatus.Final, false, 1, "Average"), (response.Status, response.ImplicitlyConfirmed, response.Revision, response.Comment));

        var late = await ProvisionalAsync(url, 10, ticket);
        Assert.Equal(HttpStatusCode.Conflict, late.StatusCode);
        Assert.Equal(5, Assert.Single(await RespondentKit.ResponsesAsync(_server, _ws.Id)).Score);
    }

    [Fact]
    public async Task Provisional_scores_are_refused_right_after_delivery_and_on_explicit_surveys()
    {
        var justSent = await RespondentKit.CreateInvitationAsync(_server, _ws.Id, _survey, Now.AddSeconds(-60));
        var (_, ticket) = await RespondentKit.OpenAsync(_client, $"/r/{justSent.Token}");
        var soon = await ProvisionalAsync($"/r/{justSent.Token}", 8, ticket);
        Assert.Equal(HttpStatusCode.Accepted, soon.StatusCode);
        Assert.Equal("too_soon_after_delivery", (await soon.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("reason").GetString());

        var explicitSurvey = RespondentKit.Survey("Explicit");
        explicitSurvey["scoreCapture"] = "explicit";
        var survey = await RespondentKit.CreateSurveyAsync(_api, explicitSurvey);
        var invitation = await RespondentKit.CreateInvitationAsync(_server, _ws.Id, survey, Now.AddDays(-1));
        var (html, explicitTicket) = await RespondentKit.OpenAsync(_client, $"/r/{invitation.Token}?score=8");
        Assert.Contains("data-provisional=\"\"", html, StringComparison.Ordinal); // the page does not even try
        Assert.Equal(HttpStatusCode.Accepted, (await ProvisionalAsync($"/r/{invitation.Token}", 8, explicitTicket)).StatusCode);

        Assert.Empty(await RespondentKit.ResponsesAsync(_server, _ws.Id));
    }

    [Theory]
    [InlineData("{\"score\": \"7\", \"nonce\": \"{nonce}\"}", "score")]
    [InlineData("{\"score\": 7.0, \"nonce\": \"{nonce}\"}", "score")]
    [InlineData("{\"score\": 11, \"nonce\": \"{nonce}\"}", "score")]
    [InlineData("{\"score\": 7}", "nonce")]
    [InlineData("{\"score\": 7, \"nonce\": \"forged\"}", "nonce")]
    [InlineData("[7]", "body")]
    [InlineData("{\"score\": 7,", "body")]
    public async Task Malformed_provisional_posts_are_400s_naming_the_field(string body, string field)
    {
        var invitation = await RespondentKit.CreateInvitationAsync(_server, _ws.Id, _survey, Now.AddHours(-1));
        var (_, ticket) = await RespondentKit.OpenAsync(_client, $"/r/{invitation.Token}");

        using var response = await _client.PostAsync($"/r/{invitation.Token}/provisional",
            new StringContent(body.Replace("{nonce}", ticket, StringComparison.Ordinal), System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty(field, out _));
        Assert.Empty(await RespondentKit.ResponsesAsync(_server, _ws.Id));
    }

    private async Task<HttpResponseMessage> ProvisionalAsync(string url, int score, string ticket) =>
        await _client.PostAsJsonAsync($"{url}/provisional", new { score, nonce = ticket });

    private Task<List<LinkHit>> HitsAsync() =>
        RespondentKit.QueryAsync(_server, _ws.Id, db => db.LinkHits.AsNoTracking().OrderBy(h => h.Id).ToListAsync());

    private static async Task<T> EventuallyAsync<T>(Func<Task<T>> read, Func<T, bool> done)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var value = await read();
            if (done(value) || waited.Elapsed > TimeSpan.FromSeconds(20))
            {
                return value;
            }

            await Task.Delay(100);
        }
    }
}
