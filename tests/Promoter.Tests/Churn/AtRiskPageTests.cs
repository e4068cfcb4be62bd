using System.Net;
using Microsoft.EntityFrameworkCore;
using Promoter.Data;
using Promoter.Tests.Collect;
using Promoter.Tests.Infrastructure;

namespace Promoter.Tests.Churn;

public sealed class AtRiskPageTests
{
    private const string Script = "<script>alert(1)</script>";

    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task The_at_risk_page_lists_reasons_and_actions_exports_csv_and_opens_one_case_per_click(DatabaseProvider provider)
    {
        await using var h = await ChurnHarness.StartAsync(provider);
        await h.RespondAsync(2, "Awful " + Script, "angry@example.com", name: "Angry " + Script);
        await h.RespondAsync(7, null, "lukewarm@example.com", name: "Luke Warm");
        await h.ProcessAsync();
        using var owner = await h.Server.SignInAsync(h.Workspace.OwnerEmail, h.Workspace.OwnerPassword);

        var page = await owner.GetStringAsync("/at-risk");
        Assert.DoesNotContain(Script, page, StringComparison.Ordinal);
        Assert.Contains("Angry &lt;script&gt;", page, StringComparison.Ordinal);
        Assert.Contains("Call within 24 h", page, StringComparison.Ordinal);
        Assert.Contains("scored 2 on", page, StringComparison.Ordinal);
        Assert.True(page.IndexOf("Angry", StringComparison.Ordinal) < page.IndexOf("Luke Warm", StringComparison.Ordinal), "highest risk first");
        var byName = await owner.GetStringAsync("/at-risk?sort=name");
        Assert.True(byName.IndexOf("Angry", StringComparison.Ordinal) < byName.IndexOf("Luke Warm", StringComparison.Ordinal));
        var passives = await owner.GetStringAsync("/at-risk?category=passive");
        Assert.DoesNotContain("Angry", passives, StringComparison.Ordinal);

        using (var bad = await owner.GetAsync("/at-risk?min=lots&property=nocolon"))
        {
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        }

        using (var csv = await owner.GetAsync("/at-risk?handler=Csv"))
        {
            Assert.Equal("text/csv", csv.Content.Headers.ContentType!.MediaType);
            var lines = (await csv.Content.ReadAsStringAsync()).TrimStart('\uFEFF').Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.StartsWith("contact_id,email,name,account,owner,risk", lines[0], StringComparison.Ordinal);
            Assert.Equal(3, lines.Length);
            Assert.Contains("call_within_24h", lines[1], StringComparison.Ordinal);
        }

        // "Open case" on the passive (who had none): one case, due in 24 h, owned by whoever clicked; a second click opens the same.
        var passive = await h.ContactIdAsync("lukewarm@example.com");
        var token = HtmlForms.AntiforgeryToken(page);
        var before = (await h.CasesAsync()).Count;
        for (var i = 0; i < 2; i++)
        {
            using var open = await owner.PostAsync("/at-risk?handler=OpenCase", RespondentKit.Form(("contactId", passive.ToString()), ("__RequestVerificationToken", token)));
            Assert.True(open.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.OK, open.StatusCode.ToString());
        }

        var opened = (await h.CasesAsync()).Where(c => c.ContactId == passive).ToList();
        Assert.Single(opened);
        Assert.Equal(before + 1, (await h.CasesAsync()).Count);
        Assert.Equal(await h.OwnerIdAsync(), opened[0].OwnerUserId);

        using (var unknown = await owner.PostAsync("/at-risk?handler=OpenCase", RespondentKit.Form(("contactId", Guid.NewGuid().ToString()), ("__RequestVerificationToken", token))))
        {
            Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        }

        using (var garbage = await owner.PostAsync("/at-risk?handler=OpenCase", RespondentKit.Form(("contactId", "'; drop table cases; --"), ("__RequestVerificationToken", token))))
        {
            Assert.Equal(HttpStatusCode.NotFound, garbage.StatusCode);
        }

        Assert.Equal(before + 1, await h.QueryAsync(db => db.Cases.CountAsync()));

        // The contact page shows the risk with its reasons.
        var angry = await h.ContactIdAsync("angry@example.com");
        var contactPage = await owner.GetStringAsync($"/contacts/{angry}");
        Assert.Contains("id=\"contact-risk\"", contactPage, StringComparison.Ordinal);
        Assert.Contains("scored 2 on", contactPage, StringComparison.Ordinal);
        Assert.Contains("href=\"/at-risk\"", contactPage, StringComparison.Ordinal);
    }
}
