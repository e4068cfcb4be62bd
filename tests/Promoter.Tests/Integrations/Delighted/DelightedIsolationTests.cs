using Microsoft.EntityFrameworkCore;
using Promoter.Data;
using Promoter.Distribution;
using Promoter.Platform.Email;
using Promoter.Tests.Accounts;
using Promoter.Tests.Infrastructure;

namespace Promoter.Tests.Integrations.Delighted;

/// <summary>A key of workspace B can neither see nor change anything of workspace A through <c>/v1</c>.</summary>
public sealed class DelightedIsolationTests
{
    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task Another_workspaces_key_sees_and_changes_nothing(DatabaseProvider provider)
    {
        await using var server = await PromoterTestServer.StartAsync(provider, new PromoterTestServer.Options
        {
            Settings = { ["Email:DispatchEnabled"] = "false", ["Webhooks:DispatchEnabled"] = "false" },
        });
        var a = await server.CreateWorkspaceAsync("A");
        var b = await server.CreateWorkspaceAsync("B");
        string surveyA;
        using (var api = server.CreateApiClient(a.ApiKey))
        {
            surveyA = await TenantFixtures.CreateAsync(api, "/api/v1/surveys", TenantFixtures.SampleSurvey("A"));
        }

        using (var api = server.CreateApiClient(b.ApiKey))
        {
            await TenantFixtures.CreateAsync(api, "/api/v1/surveys", TenantFixtures.SampleSurvey("B"));
        }

        using var clientA = DelightedHttp.Client(server, a.ApiKey);
        using var clientB = DelightedHttp.Client(server, b.ApiKey);
        var ana = (await DelightedHttp.PostAsync(clientA, "/v1/people", new { email = "ana@a.example", phone_number = "+46701234567", delay = 600 })).Body!["id"]!.GetValue<string>();
        var responseA = (await DelightedHttp.PostAsync(clientA, "/v1/survey_responses", new { person = ana, score = 3, comment = "A's secret" })).Body!["id"]!.GetValue<string>();
        await server.InWorkspaceAsync(a.Id, async sp =>
        {
            var db = sp.GetRequiredService<PromoterDb>();
            db.EmailSuppressions.Add(new EmailSuppression { EmailKey = "gone@a.example", Reason = SuppressionReason.HardBounce, Source = "smtp 550 5.1.1", CreatedAt = DateTime.UnixEpoch.AddYears(55) });
            return await db.SaveChangesAsync();
        });

        Assert.Equal(404, (await DelightedHttp.SendAsync(clientB, HttpMethod.Get, $"/v1/survey_responses/{responseA}")).Status);
        Assert.Equal(404, (await DelightedHttp.SendAsync(clientB, HttpMethod.Put, $"/v1/survey_responses/{responseA}", """{"score":10}""")).Status);
        Assert.Equal(404, (await DelightedHttp.SendAsync(clientB, HttpMethod.Put, "/v1/survey_responses", $$"""{"id":"{{responseA}}","comment":"hijacked"}""")).Status);
        DelightedHttp.AssertInvalid(await DelightedHttp.PostAsync(clientB, "/v1/survey_responses", new { person = ana, score = 10 }), "person");
        foreach (var key in new[] { ana, "email%3Aana%40a.example", "phone_number%3A%2B46701234567" })
        {
            Assert.Equal(404, (await DelightedHttp.SendAsync(clientB, HttpMethod.Delete, $"/v1/people/{key}")).Status);
            Assert.Equal(404, (await DelightedHttp.SendAsync(clientB, HttpMethod.Get, $"/v1/people/{key}")).Status);
        }

        Assert.Equal(404, (await DelightedHttp.SendAsync(clientB, HttpMethod.Delete, "/v1/people/ana%40a.example/survey_requests/pending")).Status);
        DelightedHttp.AssertInvalid(await DelightedHttp.SendAsync(clientB, HttpMethod.Get, $"/v1/metrics?trend={surveyA}"), "trend");
        DelightedHttp.AssertInvalid(await DelightedHttp.SendAsync(clientB, HttpMethod.Get, $"/v1/survey_responses?trend={surveyA}"), "trend");
        // Creating "the same" person in B makes B's own contact; A's is untouched.
        var anaInB = (await DelightedHttp.PostAsync(clientB, "/v1/people", new { email = "ana@a.example", name = "Not A's", send = false })).Body!["id"]!.GetValue<string>();
        Assert.NotEqual(ana, anaInB);

        foreach (var path in new[] { "/v1/people", "/v1/survey_responses", "/v1/survey_responses?person_email=ana%40a.example", "/v1/bounces", "/v1/unsubscribes" })
        {
            var list = (await DelightedHttp.SendAsync(clientB, HttpMethod.Get, path)).Body!.AsArray();
            Assert.DoesNotContain(list, item => item!.ToJsonString().Contains(ana, StringComparison.Ordinal) || item.ToJsonString().Contains("secret", StringComparison.Ordinal)
                                              || item.ToJsonString().Contains("gone@a.example", StringComparison.Ordinal));
        }

        Assert.Equal(0, (await DelightedHttp.SendAsync(clientB, HttpMethod.Get, "/v1/metrics")).Body!["response_count"]!.GetValue<int>());
        await server.InWorkspaceAsync(a.Id, async sp =>
        {
            var db = sp.GetRequiredService<PromoterDb>();
            var contact = await db.Contacts.SingleAsync(c => c.Id == Guid.Parse(ana));
            Assert.Null(contact.Name);
            Assert.Equal(InvitationStatus.Scheduled, (await db.Invitations.SingleAsync(i => i.ContactId == contact.Id)).Status);
            var response = await db.Responses.SingleAsync(r => r.Id == long.Parse(responseA, System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal((3, "A's secret", 1), (response.Score, response.Comment, response.Revision));
            return 0;
        });
    }
}
