using System.Net;
using Promoter.Data;
using Promoter.Tests.Infrastructure;

namespace Promoter.Tests.Collect;

/// <summary>Respondent posts are limited per network and per link; a person who hits the limit gets a page in their language.</summary>
public sealed class RespondentRateLimitTests
{
    [Fact]
    public async Task Posts_beyond_the_network_limit_get_429_with_retry_after_and_a_localized_page()
    {
        var clock = RespondentKit.NewClock();
        await using var server = await PromoterTestServer.StartAsync(DatabaseProvider.Sqlite, new()
        {
            Clock = clock,
            Settings = { ["Respondent:PostsPerNetworkPerMinute"] = "3" },
        });
        var ws = await server.CreateWorkspaceAsync("Limits");
        using var api = server.CreateApiClient(ws.ApiKey);
        var url = $"/s/{await RespondentKit.CreateSurveyAsync(api)}";
        using var client = server.CreateClient();

        // Page views never count: only posts do.
        for (var i = 0; i < 10; i++)
        {
            await RespondentKit.OpenAsync(client, url);
        }

        var (_, ticket) = await RespondentKit.OpenAsync(client, url);
        clock.Advance(TimeSpan.FromSeconds(3));
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await RespondentKit.PostAsync(client, url, ("t", ticket), ("score", "8"))).Status);
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, url + "?lang=ar") { Content = RespondentKit.Form(("t", ticket), ("score", "8")) };
        using var limited = await client.SendAsync(request);
        var html = await limited.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.True(limited.Headers.RetryAfter?.Delta > TimeSpan.Zero, $"Retry-After: {limited.Headers.RetryAfter}");
        Assert.Equal("text/html", limited.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<html lang=\"ar\" dir=\"rtl\">", html, StringComparison.Ordinal);
        Assert.Contains("محاولات كثيرة جدًا. يرجى المحاولة مرة أخرى بعد قليل.", html, StringComparison.Ordinal);
        Assert.StartsWith("default-src 'none'", limited.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Single(await RespondentKit.ResponsesAsync(server, ws.Id));
    }

    [Fact]
    public async Task A_personal_link_has_its_own_limit()
    {
        await using var server = await PromoterTestServer.StartAsync(DatabaseProvider.Sqlite, new()
        {
            Settings = { ["Respondent:PostsPerTokenPerMinute"] = "2" },
        });
        var ws = await server.CreateWorkspaceAsync("Token limits");
        using var api = server.CreateApiClient(ws.ApiKey);
        var survey = await RespondentKit.CreateSurveyAsync(api);
        var first = await RespondentKit.CreateInvitationAsync(server, ws.Id, survey, sentAt: null);
        var second = await RespondentKit.CreateInvitationAsync(server, ws.Id, survey, sentAt: null);
        using var client = server.CreateClient();

        var (_, ticket) = await RespondentKit.OpenAsync(client, $"/r/{first.Token}");
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            statuses.Add((await RespondentKit.PostAsync(client, $"/r/{first.Token}", ("t", ticket), ("score", "5"))).Status);
        }

        var (_, other) = await RespondentKit.OpenAsync(client, $"/r/{second.Token}");
        var elsewhere = await RespondentKit.PostAsync(client, $"/r/{second.Token}", ("t", other), ("score", "5"));

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
        Assert.Equal(HttpStatusCode.OK, elsewhere.Status);
    }
}
