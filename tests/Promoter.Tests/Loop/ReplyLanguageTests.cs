using System.Net;
using System.Net.Http.Json;
using Promoter.Data;
using Promoter.Platform.Email;

namespace Promoter.Tests.Loop;

public sealed class ReplyLanguageTests
{
    [Fact]
    public async Task Replies_use_the_respondents_language_arabic_right_to_left_and_promoters_get_the_surveys_review_link()
    {
        await using var h = await LoopHarness.StartAsync(DatabaseProvider.Sqlite);
        await h.SaveSettingsAsync(new { passiveSlaHours = 72, passivesNeedComment = false });
        var arabic = await h.RespondAsync(2, "سيء جدا", "layla@example.com", name: "ليلى", locale: "ar");
        var swedish = await h.RespondAsync(7, null, "sven@example.com", name: "Sven", locale: "sv-SE");
        await h.ProcessAsync();
        var arCase = await h.CaseOfAsync(arabic);
        var svCase = await h.CaseOfAsync(swedish);

        using (var reply = await h.Api.PostAsJsonAsync($"/api/v1/cases/{arCase.Id}/replies", new { }))
        {
            Assert.Equal(HttpStatusCode.Created, reply.StatusCode);
        }

        using (var thanks = await h.Api.PostAsJsonAsync($"/api/v1/cases/{svCase.Id}/replies", new { template = "promoter" }))
        {
            Assert.Equal(HttpStatusCode.Created, thanks.StatusCode);
        }

        var mails = await h.MailsAsync(EmailKinds.CaseReply);
        var ar = mails.Single(m => m.ToAddress == "layla@example.com");
        Assert.StartsWith("بشأن ملاحظاتك إلى", ar.Subject, StringComparison.Ordinal);
        Assert.Contains("dir=\"rtl\"", ar.HtmlBody!, StringComparison.Ordinal);
        Assert.Contains("lang=\"ar\"", ar.HtmlBody!, StringComparison.Ordinal);
        Assert.Contains("ليلى", ar.TextBody!, StringComparison.Ordinal);
        var sv = mails.Single(m => m.ToAddress == "sven@example.com");
        Assert.Contains("dir=\"ltr\"", sv.HtmlBody!, StringComparison.Ordinal);
        Assert.Contains("https://reviews.example/acme", sv.TextBody!, StringComparison.Ordinal);
        Assert.Contains("Sven", sv.TextBody!, StringComparison.Ordinal);
        Assert.DoesNotContain("{", sv.TextBody!, StringComparison.Ordinal);

        // The respondent's reply page speaks their language, right to left for Arabic.
        using var client = h.Server.CreateClient();
        var page = await client.GetStringAsync($"/reply/{arCase.ReplyToken}");
        Assert.Contains("<html lang=\"ar\" dir=\"rtl\">", page, StringComparison.Ordinal);
        using var unknown = await client.GetAsync($"/reply/{new string('0', 40)}");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }
}
