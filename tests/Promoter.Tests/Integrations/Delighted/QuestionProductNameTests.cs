using Microsoft.EntityFrameworkCore;
using Promoter.Data;
using Promoter.Distribution.Invitations;
using Promoter.Platform.Email;
using Promoter.Tests.Accounts;
using Promoter.Tests.Infrastructure;

namespace Promoter.Tests.Integrations.Delighted;

/// <summary>Delighted's <c>question_product_name</c> replaces the brand in the invitation mail and on the survey page.</summary>
public sealed class QuestionProductNameTests
{
    [Fact]
    public async Task The_mail_and_the_page_ask_about_the_product_the_person_was_sent_for()
    {
        await using var server = await PromoterTestServer.StartAsync(Promoter.Data.DatabaseProvider.Sqlite, new PromoterTestServer.Options
        {
            Settings = { ["Email:DispatchEnabled"] = "false", ["Webhooks:DispatchEnabled"] = "false" },
        });
        var ws = await server.CreateWorkspaceAsync("Products");
        using (var api = server.CreateApiClient(ws.ApiKey))
        {
            await TenantFixtures.CreateAsync(api, "/api/v1/surveys", TenantFixtures.SampleSurvey("Products"));
        }

        using var client = DelightedHttp.Client(server, ws.ApiKey);
        var withProduct = (await DelightedHttp.PostAsync(client, "/v1/people", new { email = "p@example.com", properties = new { question_product_name = "Widget <Pro>" } })).Body!;
        var without = (await DelightedHttp.PostAsync(client, "/v1/people", new { email = "q@example.com" })).Body!;
        Assert.NotNull(withProduct["survey_scheduled_at"]);

        var (mailWith, tokenWith, brand) = await ComposeAsync(server, ws.Id, Guid.Parse(withProduct["id"]!.GetValue<string>()));
        var (mailWithout, tokenWithout, _) = await ComposeAsync(server, ws.Id, Guid.Parse(without["id"]!.GetValue<string>()));
        Assert.Contains("Widget <Pro>", mailWith.Text, StringComparison.Ordinal);
        Assert.Contains("Widget &lt;Pro&gt;", mailWith.Html, StringComparison.Ordinal);
        Assert.DoesNotContain(brand, mailWith.Text, StringComparison.Ordinal);
        Assert.Contains(brand, mailWithout.Text, StringComparison.Ordinal);

        using var browser = server.CreateClient();
        var page = await browser.GetStringAsync($"/r/{tokenWith}");
        Assert.Contains("Widget &lt;Pro&gt;", page, StringComparison.Ordinal);
        Assert.Contains(brand, await browser.GetStringAsync($"/r/{tokenWithout}"), StringComparison.Ordinal);
    }

    private static Task<(EmailContent Mail, string Token, string Brand)> ComposeAsync(PromoterTestServer server, Guid workspace, Guid contact) =>
        server.InWorkspaceAsync(workspace, async sp =>
        {
            var db = sp.GetRequiredService<PromoterDb>();
            var invitation = await db.Invitations.SingleAsync(i => i.ContactId == contact);
            var mail = sp.GetRequiredService<InvitationMail>();
            var state = await mail.LoadAsync(invitation.Id, CancellationToken.None);
            var composed = mail.Compose(state!, reminder: false);
            return (composed.Content, invitation.Token, state!.Survey.BrandName);
        });
}
