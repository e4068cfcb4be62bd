using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Promoter.Data;
using Promoter.Tests.Accounts;
using Promoter.Tests.Infrastructure;

namespace Promoter.Tests.Integrations.Delighted;

/// <summary>Every write path of <c>/v1</c> with hostile input: a 422 naming the field, and nothing written.</summary>
public sealed class DelightedHostileInputTests
{
    private static async Task<(int Contacts, int Invitations, int Responses, int Revisions, int Suppressions)> CountAsync(PromoterTestServer server, Guid workspace) =>
        await server.InWorkspaceAsync(workspace, async sp =>
        {
            var db = sp.GetRequiredService<PromoterDb>();
            return (await db.Contacts.CountAsync(), await db.Invitations.CountAsync(), await db.Responses.CountAsync(),
                await db.ResponseRevisions.CountAsync(), await db.EmailSuppressions.CountAsync());
        });

    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task Hostile_people_responses_and_unsubscribes_are_refused_by_field_and_write_nothing(DatabaseProvider provider)
    {
        await using var server = await PromoterTestServer.StartAsync(provider, new PromoterTestServer.Options
        {
            Settings = { ["Email:DispatchEnabled"] = "false", ["Webhooks:DispatchEnabled"] = "false" },
        });
        var ws = await server.CreateWorkspaceAsync("Hostile");
        using (var api = server.CreateApiClient(ws.ApiKey))
        {
            await TenantFixtures.CreateAsync(api, "/api/v1/surveys", TenantFixtures.SampleSurvey("Hostile"));
        }

        using var client = DelightedHttp.Client(server, ws.ApiKey);
        var ana = (await DelightedHttp.PostAsync(client, "/v1/people", new { email = "ana@example.com", name = "Ana", send = false })).Body!["id"]!.GetValue<string>();
        await DelightedHttp.PostAsync(client, "/v1/people", new { email = "bo@example.com", send = false });
        var response = (await DelightedHttp.PostAsync(client, "/v1/survey_responses", new { person = ana, score = 8, comment = "fine" })).Body!;
        var responseId = response["id"]!.GetValue<string>();
        var before = await CountAsync(server, ws.Id);

        var manyProperties = Enumerable.Range(0, 51).ToDictionary(i => $"k{i}", i => "v");
        var cases = new (string Path, string Method, string Body, string Field)[]
        {
            ("/v1/people", "POST", """{"email":"x@example.com","name":"Eve\r\nBcc: victim@example.com"}""", "name"),
            ("/v1/people", "POST", """{"email":"x@example.com\r\nBcc: victim@example.com"}""", "email"),
            ("/v1/people", "POST", """{"email":"not an email"}""", "email"),
            ("/v1/people", "POST", """{"name":"Nobody"}""", "email"),
            ("/v1/people", "POST", """{"phone_number":"12345","send":false}""", "phone_number"),
            ("/v1/people", "POST", """{"phone_number":"+14155550000","channel":"sms"}""", "channel"),
            ("/v1/people", "POST", """{"email":"x@example.com","channel":"fax"}""", "channel"),
            ("/v1/people", "POST", """{"email":"x@example.com","delay":-1}""", "delay"),
            ("/v1/people", "POST", """{"email":"x@example.com","delay":"soon"}""", "delay"),
            ("/v1/people", "POST", """{"email":"x@example.com","send":"maybe"}""", "send"),
            ("/v1/people", "POST", """{"email":"x@example.com","last_sent_at":1713497396000}""", "last_sent_at"),
            ("/v1/people", "POST", "{\"email\":\"x@example.com\",\"properties\":" + System.Text.Json.JsonSerializer.Serialize(manyProperties) + "}", "properties"),
            ("/v1/people", "POST", """{"email":"x@example.com","properties":{"\u202Eevil":"x"}}""", "properties"),
            ("/v1/people", "POST", "{\"email\":\"x@example.com\",\"properties\":{\"plan\":\"" + new string('p', 300) + "\"}}", "properties.plan"),
            ("/v1/people", "POST", """{"email":"x@example.com","properties":{"plan":{"nested":true}}}""", "properties.plan"),
            ("/v1/people", "POST", """{"email":"x@example.com","properties":{"locale":"<script>"}}""", "properties.locale"),
            ("/v1/people", "POST", """{"email":"ana@example.com","email_update":"bo@example.com","send":false}""", "email_update"),
            ("/v1/people", "POST", """{"email":"x@example.com","trend":"1; DROP TABLE contacts"}""", "trend"),
            ("/v1/people", "POST", "not json", "body"),
            ("/v1/people", "POST", "[1,2]", "body"),
            ("/v1/survey_responses", "POST", $$"""{"person":"{{ana}}","score":11}""", "score"),
            ("/v1/survey_responses", "POST", $$"""{"person":"{{ana}}","score":7.5}""", "score"),
            ("/v1/survey_responses", "POST", $$"""{"person":"{{ana}}","score":null}""", "score"),
            ("/v1/survey_responses", "POST", """{"score":9}""", "person"),
            ("/v1/survey_responses", "POST", $$"""{"person":"{{Guid.NewGuid()}}","score":9}""", "person"),
            ("/v1/survey_responses", "POST", $$"""{"person":"{{ana}}","score":9,"comment":"{{new string('c', 5001)}}"}""", "comment"),
            ("/v1/survey_responses", "POST", $$"""{"person":"{{ana}}","score":9,"created_at":4102444800}""", "created_at"),
            ("/v1/survey_responses", "POST", $$"""{"person":"{{ana}}","score":9,"created_at":"yesterday"}""", "created_at"),
            ("/v1/survey_responses", "PUT", """{"score":3}""", "id"),
            ($"/v1/survey_responses/{responseId}", "PUT", """{"score":-1,"comment":"changed"}""", "score"),
            ("/v1/survey_responses", "PUT", $$"""{"id":"{{responseId}}","person":"nobody","comment":"changed"}""", "person"),
            ("/v1/unsubscribes", "POST", """{"person_email":"x@example.com\r\nBcc: victim@example.com"}""", "person_email"),
            ("/v1/unsubscribes", "POST", "{}", "person_email"),
        };
        foreach (var (path, method, body, field) in cases)
        {
            var result = await DelightedHttp.SendAsync(client, new HttpMethod(method), path, body);
            DelightedHttp.AssertInvalid(result, field);
        }

        Assert.Equal(before, await CountAsync(server, ws.Id));
        var unchanged = (await DelightedHttp.SendAsync(client, HttpMethod.Get, $"/v1/survey_responses/{responseId}")).Body!;
        Assert.Equal((8, "fine"), (unchanged["score"]!.GetValue<int>(), unchanged["comment"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Hostile_list_parameters_are_refused_by_name()
    {
        await using var server = await PromoterTestServer.StartAsync(DatabaseProvider.Sqlite);
        var ws = await server.CreateWorkspaceAsync("Params");
        using var client = DelightedHttp.Client(server, ws.ApiKey);
        var cases = new (string Path, string Field)[]
        {
            ("/v1/survey_responses?per_page=101", "per_page"),
            ("/v1/survey_responses?page=0", "page"),
            ("/v1/survey_responses?since=abc", "since"),
            ("/v1/survey_responses?until=-5", "until"),
            ("/v1/survey_responses?updated_since=1e9", "updated_since"),
            ("/v1/survey_responses?order=random", "order"),
            ("/v1/survey_responses?expand[]=secrets", "expand"),
            ("/v1/survey_responses?person_id=1%20OR%201%3D1", "person_id"),
            ("/v1/survey_responses?trend=" + Guid.NewGuid(), "trend"),
            ("/v1/people?per_page=0", "per_page"),
            ("/v1/people?page_info=%3Cscript%3E", "page_info"),
            ("/v1/people?email=a%40b.com&phone_number=%2B14155551212", "email"),
            ("/v1/metrics?since=2&until=1", "since"),
            ("/v1/metrics?groups[]=sms", "groups"),
            ("/v1/bounces?per_page=1000", "per_page"),
            ("/v1/unsubscribes?since=yesterday", "since"),
        };
        foreach (var (path, field) in cases)
        {
            DelightedHttp.AssertInvalid(await DelightedHttp.SendAsync(client, HttpMethod.Get, path), field);
        }
    }

    [Fact]
    public async Task Text_is_stored_cleaned_and_returned_as_json_not_markup()
    {
        await using var server = await PromoterTestServer.StartAsync(DatabaseProvider.Sqlite);
        var ws = await server.CreateWorkspaceAsync("Markup");
        using (var api = server.CreateApiClient(ws.ApiKey))
        {
            await TenantFixtures.CreateAsync(api, "/api/v1/surveys", TenantFixtures.SampleSurvey("Markup"));
        }

        using var client = DelightedHttp.Client(server, ws.ApiKey);
        var person = (await DelightedHttp.PostAsync(client, "/v1/people", new { email = "m@example.com", send = false })).Body!["id"]!.GetValue<string>();
        var (status, body, response) = await DelightedHttp.PostAsync(client, "/v1/survey_responses",
            new { person, score = 2, comment = "<script>alert(1)</script> \u202Egnp.exe", person_properties = new Dictionary<string, object> { ["Plan Name"] = "<b>pro</b>", ["seats"] = 12 } });
        Assert.Equal(201, status);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("<script>alert(1)</script> gnp.exe", body!["comment"]!.GetValue<string>());
        Assert.Equal("<b>pro</b>", body["person_properties"]!["Plan Name"]!.GetValue<string>());
        Assert.Equal("12", body["person_properties"]!["seats"]!.GetValue<string>());
        Assert.Equal(System.Text.Json.JsonValueKind.String, JsonValueKind(body["id"]));
        Assert.Equal(System.Text.Json.JsonValueKind.Number, JsonValueKind(body["created_at"]));
    }

    private static System.Text.Json.JsonValueKind JsonValueKind(JsonNode? node) => node!.GetValueKind();
}
