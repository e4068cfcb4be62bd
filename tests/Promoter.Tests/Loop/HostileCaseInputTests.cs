using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Promoter.Data;
using Promoter.Loop;
using Promoter.Platform.Email;
using Promoter.Tests.Collect;
using Promoter.Tests.Infrastructure;

namespace Promoter.Tests.Loop;

public sealed class HostileCaseInputTests
{
    private const string Script = "<script>alert(1)</script>";
    private const string Override = "\u202E";

    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task Scripts_and_bidi_overrides_in_notes_replies_names_and_answers_render_harmlessly_in_pages_and_mails(DatabaseProvider provider)
    {
        await using var h = await LoopHarness.StartAsync(provider);
        var responseId = await h.RespondAsync(1, "Bad " + Script, "hostile@example.com", name: "<img src=x onerror=alert(2)>");
        await h.ProcessAsync();
        var c = await h.CaseOfAsync(responseId);

        using (var note = await h.Api.PostAsJsonAsync($"/api/v1/cases/{c.Id}/notes", new { body = $"Note {Script} gnp{Override}exe.txt" }))
        {
            Assert.Equal(HttpStatusCode.Created, note.StatusCode);
        }

        using (var reply = await h.Api.PostAsJsonAsync($"/api/v1/cases/{c.Id}/replies", new { subject = "Sorry " + Script, body = $"Hello {Script}{Override}\nWe will fix it." }))
        {
            Assert.Equal(HttpStatusCode.Created, reply.StatusCode);
        }

        var activities = await h.ActivitiesAsync(c.Id);
        Assert.DoesNotContain(activities, a => a.Body!.Contains(Override, StringComparison.Ordinal));

        // The respondent answers through the reply page (a real form post with its antiforgery token).
        using var respondent = h.Server.CreateClient(new CookieJar(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }));
        var form = await respondent.GetStringAsync($"/reply/{c.ReplyToken}");
        Assert.DoesNotContain(Script, form, StringComparison.Ordinal);
        using (var answer = await respondent.PostAsync($"/reply/{c.ReplyToken}", RespondentKit.Form(
                   ("Message", $"Answer {Script}{Override}"), ("__RequestVerificationToken", HtmlForms.AntiforgeryToken(form)))))
        {
            Assert.Equal(HttpStatusCode.Redirect, answer.StatusCode);
        }

        using var owner = await h.Server.SignInAsync(h.Workspace.OwnerEmail, h.Workspace.OwnerPassword);
        var page = await owner.GetStringAsync($"/cases/{c.Id}");
        Assert.DoesNotContain("<script>alert", page, StringComparison.Ordinal);
        Assert.DoesNotContain("<img src=x", page, StringComparison.Ordinal);
        Assert.DoesNotContain(Override, page, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", page, StringComparison.Ordinal);
        Assert.Contains("Answer &lt;script&gt;", page, StringComparison.Ordinal);

        var mail = Assert.Single(await h.MailsAsync(EmailKinds.CaseReply));
        Assert.DoesNotContain("<script>", mail.HtmlBody!, StringComparison.Ordinal);
        Assert.Contains("Hello &lt;script&gt;", mail.HtmlBody!, StringComparison.Ordinal);
        Assert.Equal("hostile@example.com", mail.ToAddress);
        Assert.Contains($"/reply/{c.ReplyToken}", mail.TextBody!, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task Header_injection_bad_addresses_private_urls_and_over_long_text_are_refused_by_field_and_nothing_is_written(DatabaseProvider provider)
    {
        await using var h = await LoopHarness.StartAsync(provider, settings: new Dictionary<string, string?> { ["Webhooks:AllowHttp"] = "true" });
        var responseId = await h.RespondAsync(1, "Bad", "victim@example.com");
        await h.ProcessAsync();
        var c = await h.CaseOfAsync(responseId);
        var before = (await h.ActivitiesAsync(c.Id)).Count;

        await ExpectFieldAsync(h.Api.PostAsJsonAsync($"/api/v1/cases/{c.Id}/replies", new { subject = "Hi\r\nBcc: evil@example.com", body = "x" }), "subject");
        await ExpectFieldAsync(h.Api.PostAsJsonAsync($"/api/v1/cases/{c.Id}/replies", new { template = "bribe" }), "template");
        await ExpectFieldAsync(h.Api.PostAsJsonAsync($"/api/v1/cases/{c.Id}/replies", new { body = "Hi {name}, thanks" }), "body");
        await ExpectFieldAsync(h.Api.PostAsJsonAsync($"/api/v1/cases/{c.Id}/contacts", new { channel = "fax" }), "channel");
        await ExpectFieldAsync(h.Api.PostAsJsonAsync($"/api/v1/cases/{c.Id}/contacts", new { channel = "phone", note = new string('x', 6000) }), "note");
        await ExpectFieldAsync(h.Api.PostAsJsonAsync($"/api/v1/cases/{c.Id}/notes", new { body = new string('x', 6000) }), "body");
        await ExpectFieldAsync(h.Api.PostAsJsonAsync($"/api/v1/cases/{c.Id}/notes", new { body = "   " }), "body");
        await ExpectFieldAsync(h.Api.PatchAsJsonAsync($"/api/v1/cases/{c.Id}", new { tags = new[] { "a,b" } }), "tags");
        await ExpectFieldAsync(h.Api.PatchAsJsonAsync($"/api/v1/cases/{c.Id}", new { status = "closed", rootCause = "Aliens" }), "rootCause");
        await ExpectFieldAsync(h.Api.PatchAsJsonAsync($"/api/v1/cases/{c.Id}", new { status = "finished" }), "status");
        await ExpectFieldAsync(h.Api.PostAsJsonAsync("/api/v1/alert-rules", new { name = "x", emailAddresses = new[] { "ops@example.com\r\nBcc: evil@example.com" } }), "emailAddresses");
        await ExpectFieldAsync(h.Api.PostAsJsonAsync("/api/v1/alert-rules", new { name = "x", emailAddresses = new[] { "not-an-address" } }), "emailAddresses");
        await ExpectFieldAsync(h.Api.PostAsJsonAsync("/api/v1/alert-rules", new { name = "x", webhookUrl = "http://169.254.169.254/latest/meta-data" }), "webhookUrl");
        await ExpectFieldAsync(h.Api.PostAsJsonAsync("/api/v1/alert-rules", new { name = new string('n', 300) }), "name");
        await ExpectFieldAsync(h.Api.PutAsJsonAsync("/api/v1/loop/settings", new { detractorSlaHours = 0 }), "detractorSlaHours");

        Assert.Equal(before, (await h.ActivitiesAsync(c.Id)).Count);
        var unchanged = await h.CaseOfAsync(responseId);
        Assert.Equal(CaseStatus.New, unchanged.Status);
        Assert.Equal("", unchanged.Tags);
        Assert.Empty(await h.MailsAsync(EmailKinds.CaseReply));
        Assert.Equal(0, await h.QueryAsync(db => db.AlertRules.CountAsync()));
    }

    private static async Task ExpectFieldAsync(Task<HttpResponseMessage> call, string field)
    {
        using var response = await call;
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{field}: {(int)response.StatusCode} {text}");
        Assert.True(JsonDocument.Parse(text).RootElement.GetProperty("errors").TryGetProperty(field, out _), text);
    }
}
