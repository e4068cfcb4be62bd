using System.Net;
using Microsoft.EntityFrameworkCore;
using Promoter.Collect;
using Promoter.Data;
using Promoter.Distribution;
using Promoter.Tests.Infrastructure;

namespace Promoter.Tests.Collect;

/// <summary>The personal link <c>/r/{token}</c>: one response per invitation, edits within the window, revisions, concurrency.</summary>
public sealed class PersonalLinkTests
{
    [Fact]
    public async Task A_submit_copies_the_invitation_onto_the_response_and_marks_it_responded()
    {
        var clock = RespondentKit.NewClock();
        await using var server = await PromoterTestServer.StartAsync(DatabaseProvider.Sqlite, new() { Clock = clock });
        var ws = await server.CreateWorkspaceAsync("Personal");
        using var api = server.CreateApiClient(ws.ApiKey);
        var survey = await RespondentKit.CreateSurveyAsync(api);
        var invitation = await RespondentKit.CreateInvitationAsync(server, ws.Id, survey, clock.GetUtcNow().UtcDateTime.AddHours(-1), locale: "mk");
        using var client = server.CreateClient();
        var url = $"/r/{invitation.Token}";

        using var page = await client.GetAsync(url);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Equal("no-store", page.Headers.CacheControl?.ToString());
        Assert.Equal("no-referrer", page.Headers.GetValues("Referrer-Policy").Single());
        Assert.Contains("<html lang=\"mk\"", html, StringComparison.Ordinal); // the contact's language
        Assert.DoesNotContain("name=\"website\"", html, StringComparison.Ordinal); // no honeypot on personal links

        // No minimum fill time either: the email's score button plus Submit can be quick.
        var (status, thanks) = await RespondentKit.PostAsync(client, url + "?lang=mk", ("t", RespondentKit.Ticket(html)), ("score", "9"), ("comment", "Брза достава"));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("Ви благодариме! Многу ни е драго што би нѐ препорачале.", thanks, StringComparison.Ordinal); // the reworded key (issue 14, point 14)
        Assert.Contains("https://reviews.example/acme", thanks, StringComparison.Ordinal);
        Assert.Contains($"href=\"{url}?lang=mk\">Променете го одговорот</a>", thanks, StringComparison.Ordinal);

        var response = Assert.Single(await RespondentKit.ResponsesAsync(server, ws.Id));
        Assert.Equal(invitation.Id, response.InvitationId);
        Assert.Equal(invitation.ContactId, response.ContactId);
        Assert.Equal("{\"plan\":\"pro\",\"order\":\"A-1001\"}", response.Properties);
        Assert.Equal("Dana", response.TeamMember);
        Assert.Equal("delivery", response.Touchpoint);
        Assert.Equal(Channels.Email, response.Channel);
        Assert.Equal("mk", response.Language);
        var stored = await RespondentKit.QueryAsync(server, ws.Id, db => db.Invitations.AsNoTracking().SingleAsync(i => i.Id == invitation.Id));
        Assert.Equal(InvitationStatus.Responded, stored.Status);
        Assert.Equal(clock.GetUtcNow().UtcDateTime, stored.RespondedAt!.Value, TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task A_later_submit_within_the_edit_window_updates_the_response_and_keeps_what_was_said_before()
    {
        var clock = RespondentKit.NewClock();
        await using var server = await PromoterTestServer.StartAsync(DatabaseProvider.Sqlite, new() { Clock = clock });
        var ws = await server.CreateWorkspaceAsync("Edits");
        using var api = server.CreateApiClient(ws.ApiKey);
        var survey = await RespondentKit.CreateSurveyAsync(api); // edit window: 7 days
        var invitation = await RespondentKit.CreateInvitationAsync(server, ws.Id, survey, clock.GetUtcNow().UtcDateTime.AddHours(-1));
        using var client = server.CreateClient();
        var url = $"/r/{invitation.Token}";

        var (_, first) = await RespondentKit.OpenAsync(client, url);
        await RespondentKit.PostAsync(client, url, ("t", first), ("score", "3"), ("comment", "Late again"));

        clock.Advance(TimeSpan.FromDays(2));
        var (revisit, second) = await RespondentKit.OpenAsync(client, url);
        Assert.Contains(">Late again</textarea>", revisit, StringComparison.Ordinal); // shown what they said
        Assert.Contains("value=\"3\" aria-label=\"3\" checked=\"checked\"", revisit, StringComparison.Ordinal);
        var (status, _) = await RespondentKit.PostAsync(client, url, ("t", second), ("score", "8"), ("comment", "They called me and fixed it"));
        Assert.Equal(HttpStatusCode.OK, status);

        var response = Assert.Single(await RespondentKit.ResponsesAsync(server, ws.Id));
        Assert.Equal(8, response.Score);
        Assert.Equal("They called me and fixed it", response.Comment);
        Assert.Equal(2, response.Revision);
        var revision = Assert.Single(await RespondentKit.QueryAsync(server, ws.Id, db => db.ResponseRevisions.AsNoTracking().ToListAsync()));
        Assert.Equal((response.Id, 1, (short)3, "Late again"), (revision.ResponseId, revision.Revision, revision.Score, revision.Comment));

        // Past the window: a clear message, and nothing changes.
        clock.Advance(TimeSpan.FromDays(6));
        var (closedPage, _) = await GetAsync(client, url);
        Assert.Contains("Your answer has been recorded and can no longer be changed.", closedPage, StringComparison.Ordinal);
        (status, var refused) = await RespondentKit.PostAsync(client, url, ("t", second), ("score", "0"), ("comment", "Changed my mind"));
        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Contains("can no longer be changed", refused, StringComparison.Ordinal);
        var after = Assert.Single(await RespondentKit.ResponsesAsync(server, ws.Id));
        Assert.Equal((8, 2), (after.Score, after.Revision));
    }

    [Fact]
    public async Task Without_script_step_one_on_a_personal_link_records_a_final_score()
    {
        await using var server = await PromoterTestServer.StartAsync(DatabaseProvider.Sqlite);
        var ws = await server.CreateWorkspaceAsync("Two steps");
        using var api = server.CreateApiClient(ws.ApiKey);
        var survey = await RespondentKit.CreateSurveyAsync(api);
        var invitation = await RespondentKit.CreateInvitationAsync(server, ws.Id, survey, sentAt: null);
        using var client = server.CreateClient();
        var url = $"/r/{invitation.Token}";
        var (_, ticket) = await RespondentKit.OpenAsync(client, url);

        var (status, details) = await RespondentKit.PostAsync(client, url, ("t", ticket), ("score", "7"), ("step", "score"));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("Thank you! What would make you more likely to recommend us?", details, StringComparison.Ordinal);
        Assert.Equal(ResponseStatus.Final, Assert.Single(await RespondentKit.ResponsesAsync(server, ws.Id)).Status);

        await RespondentKit.PostAsync(client, url, ("t", ticket), ("score", "7"), ("comment", "More flavours"), ("q.channel", "chat"));
        var response = Assert.Single(await RespondentKit.ResponsesAsync(server, ws.Id));
        Assert.Equal(("More flavours", "{\"channel\":\"chat\"}", 1), (response.Comment, response.Answers, response.Revision));
    }

    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task Fifty_parallel_submits_on_one_token_leave_exactly_one_response(DatabaseProvider provider)
    {
        await using var server = await PromoterTestServer.StartAsync(provider, new()
        {
            Settings = { ["Respondent:PostsPerNetworkPerMinute"] = "1000", ["Respondent:PostsPerTokenPerMinute"] = "1000" },
        });
        var ws = await server.CreateWorkspaceAsync("Race " + provider);
        using var api = server.CreateApiClient(ws.ApiKey);
        var survey = await RespondentKit.CreateSurveyAsync(api);
        var invitation = await RespondentKit.CreateInvitationAsync(server, ws.Id, survey, sentAt: null);
        using var client = server.CreateClient();
        var url = $"/r/{invitation.Token}";
        var tickets = await Task.WhenAll(Enumerable.Range(0, 5).Select(async _ => (await RespondentKit.OpenAsync(client, url)).Ticket));

        var results = await Task.WhenAll(Enumerable.Range(0, 50).Select(i =>
            RespondentKit.PostAsync(client, url, ("t", tickets[i % 5]), ("score", (i % 11).ToString(System.Globalization.CultureInfo.InvariantCulture)), ("comment", $"Attempt {i}"))));

        Assert.All(results, r => Assert.True(r.Status == HttpStatusCode.OK, $"{(int)r.Status}: {r.Html}"));
        var response = Assert.Single(await RespondentKit.ResponsesAsync(server, ws.Id));
        var revisions = await RespondentKit.QueryAsync(server, ws.Id, db => db.ResponseRevisions.AsNoTracking().OrderBy(r => r.Revision).ToListAsync());
        // Every overwritten answer is kept, numbered without gaps.
        Assert.Equal(Enumerable.Range(1, response.Revision - 1), revisions.Select(r => r.Revision));
        Assert.Equal(InvitationStatus.Responded, await RespondentKit.QueryAsync(server, ws.Id, db => db.Invitations.Where(i => i.Id == invitation.Id).Select(i => i.Status).SingleAsync()));
    }

    private static async Task<(string Html, HttpStatusCode Status)> GetAsync(HttpClient client, string url)
    {
        using var response = await client.GetAsync(url);
        return (await response.Content.ReadAsStringAsync(), response.StatusCode);
    }
}
