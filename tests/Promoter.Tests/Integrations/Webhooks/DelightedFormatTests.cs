using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Promoter.Tests.Collect;

namespace Promoter.Tests.Integrations.Webhooks;

/// <summary>Endpoints in Delighted's format, for receivers written against Delighted's webhooks.</summary>
public sealed class DelightedFormatTests
{
    [Fact]
    public async Task A_delighted_endpoint_receives_survey_response_events_in_delighteds_shape_signed_as_usual()
    {
        await using var h = await WebhookHarness.StartAsync();
        var endpoint = await h.CreateEndpointAsync(format: "delighted");
        var invitation = await RespondentKit.CreateInvitationAsync(h.Server, h.Workspace.Id, h.Survey, h.Now.AddHours(-2));
        using var browser = h.Server.CreateClient();
        var url = $"/r/{invitation.Token}";
        var (_, ticket) = await RespondentKit.OpenAsync(browser, $"{url}?score=3");
        h.Clock.Advance(TimeSpan.FromSeconds(5));

        var (status, _) = await RespondentKit.PostAsync(browser, url, ("t", ticket), ("score", "3"), ("comment", "Late again"),
            ("q.fix", "Delivery"), ("q.ease", "2"), ("q.channel", "chat"), ("q.liked", "price"), ("q.liked", "staff"));
        Assert.Equal(HttpStatusCode.OK, status);
        await h.DispatchAsync();

        var request = Assert.Single(h.Receiver.Requests);
        Assert.True(ReceiverVerifier.Verify(endpoint.Secret, request.Id, request.Timestamp, request.Signature, request.Body, h.Clock.GetUtcNow()));
        var root = JsonDocument.Parse(request.Body).RootElement;
        Assert.Equal("survey_response.created", root.GetProperty("event_type").GetString());
        Assert.Equal(request.Id, root.GetProperty("event_id").GetString());
        var data = root.GetProperty("event_data");
        Assert.Equal(JsonValueKind.String, data.GetProperty("id").ValueKind); // Delighted's ids are strings
        Assert.Equal(("nps", 3, "Late again"), (data.GetProperty("survey_type").GetString(), data.GetProperty("score").GetInt32(), data.GetProperty("comment").GetString()));
        Assert.Equal(h.Clock.GetUtcNow().ToUnixTimeSeconds(), data.GetProperty("created_at").GetInt64());
        var person = data.GetProperty("person");
        Assert.Equal((invitation.ContactId.ToString(), "Pat Person"), (person.GetProperty("id").GetString(), person.GetProperty("name").GetString()));
        Assert.EndsWith("@example.com", person.GetProperty("email").GetString(), StringComparison.Ordinal);
        Assert.Equal("A-1001", data.GetProperty("person_properties").GetProperty("order").GetString());
        Assert.Empty(data.GetProperty("notes").EnumerateArray());

        var answers = data.GetProperty("additional_answers").EnumerateArray().ToDictionary(a => a.GetProperty("id").GetString()!);
        Assert.Equal("Delivery", answers["fix"].GetProperty("value").GetProperty("free_response").GetString());
        Assert.Equal(("free_response", "What should we fix first?"),
            (answers["fix"].GetProperty("question").GetProperty("type").GetString(), answers["fix"].GetProperty("question").GetProperty("text").GetString()));
        Assert.Equal(2, answers["ease"].GetProperty("value").GetProperty("scale").GetInt32());
        Assert.Equal(JsonValueKind.Null, answers["ease"].GetProperty("value").GetProperty("free_response").ValueKind);
        Assert.Equal(("chat", "Chat"), (answers["channel"].GetProperty("value").GetProperty("select_one").GetProperty("id").GetString(),
            answers["channel"].GetProperty("value").GetProperty("select_one").GetProperty("text").GetString()));
        Assert.Equal(["Price", "Staff"], answers["liked"].GetProperty("value").GetProperty("select_many").EnumerateArray().Select(o => o.GetProperty("text").GetString()));
        Assert.True(root.GetProperty("resource_version").GetInt64() > 0);
    }

    [Fact]
    public async Task An_update_is_survey_response_updated_and_an_anonymous_response_has_no_person()
    {
        await using var h = await WebhookHarness.StartAsync();
        await h.CreateEndpointAsync(format: "delighted");
        var id = await h.RespondAsync(8);
        await h.QueryAsync(db => db.Responses.Where(r => r.Id == id).ExecuteUpdateAsync(s => s.SetProperty(r => r.Comment, "Fine")));

        await h.DispatchAsync();

        var bodies = h.Receiver.Requests.Select(r => JsonDocument.Parse(r.Body).RootElement).ToList();
        Assert.Equal(["survey_response.created", "survey_response.updated"], bodies.Select(b => b.GetProperty("event_type").GetString()).Order(StringComparer.Ordinal));
        Assert.All(bodies, b => Assert.Equal(JsonValueKind.Null, b.GetProperty("event_data").GetProperty("person").ValueKind));
    }
}
