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

        // The template as it stands has placeholders (…) to fill in: the agent's words replace them.
        var arDraft = await DraftAsync(h, arCase.Id, null);
        using (var reply = await h.Api.PostAsJsonAsync($"/api/v1/cases/{arCase.Id}/replies", new { body = arDraft.Replace("…", "سنتصل بك غدًا", StringComparison.Ordinal) }))
        {
            Assert.Equal(HttpStatusCode.Created, reply.StatusCode);
        }

        var svDraft = await DraftAsync(h, svCase.Id, "promoter");
        using (var thanks = await h.Api.PostAsJsonAsync($"/api/v1/cases/{svCase.Id}/replies", new { template = "promoter", body = svDraft.Replace("…", "ett presentkort", StringComparison.Ordinal) }))
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

    private static Task<string> DraftAsync(LoopHarness h, Guid caseId, string? template) =>
        h.Server.InWorkspaceAsync(h.Workspace.Id, async sp =>
            (await sp.GetRequiredService<Promoter.Loop.CaseService>().DraftAsync(caseId, template, null, new Promoter.Loop.CaseViewer(null, null, "test", true), CancellationToken.None)).Body);

    [Fact]
    public async Task A_leaked_reply_link_cannot_flood_the_case_owner_more_than_twenty_answers_a_day_in_the_respondents_language()
    {
        await using var h = await LoopHarness.StartAsync(DatabaseProvider.Sqlite);
        var responseId = await h.RespondAsync(2, "Bad", "flood@example.com", locale: "sv");
        await h.ProcessAsync();
        var token = (await h.CaseOfAsync(responseId)).ReplyToken;
        async Task AnswerAsync(string text)
        {
            await using var scope = h.Server.Services.CreateAsyncScope();
            var thread = scope.ServiceProvider.GetRequiredService<Promoter.Loop.RespondentThread>();
            var view = await thread.OpenAsync(token, CancellationToken.None) ?? throw new InvalidOperationException("No thread.");
            await thread.AnswerAsync(view, text, CancellationToken.None);
        }

        for (var i = 0; i < Promoter.Loop.RespondentThread.MaxAnswersPerDay; i++)
        {
            await AnswerAsync($"Message {i}");
        }

        var refused = await Assert.ThrowsAsync<Promoter.Platform.RequestValidationException>(() => AnswerAsync("One more"));
        Assert.StartsWith("Vi har fått många meddelanden", refused.Errors["message"][0], StringComparison.Ordinal);
        h.Clock!.Advance(TimeSpan.FromDays(1) + TimeSpan.FromSeconds(1));
        await AnswerAsync("Next day");
    }
}
