using System.Text.Json;
using System.Text.RegularExpressions;
using Promoter.Data;
using Promoter.Distribution;
using Promoter.Platform.Email;
using Promoter.Tests.Infrastructure;

namespace Promoter.Tests.Sending;

/// <summary>Triggered invitations as they arrive at a real SMTP server (maildev): parts, score links, headers, languages.</summary>
public sealed partial class InvitationEmailTests
{
    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task A_triggered_invitation_arrives_with_eleven_score_links_a_text_part_and_both_unsubscribe_headers(DatabaseProvider provider)
    {
        await using var mail = await MailDev.StartAsync();
        await using var h = await DistributionHarness.StartAsync(provider, mail.Settings());
        var survey = await h.CreateSurveyAsync();
        var id = await h.TriggerAsync(survey, "robin@example.org", locale: "en-GB",
            properties: new() { ["order"] = "A-1001", ["team_member"] = "Dana", ["touchpoint"] = "delivery" });

        Assert.Equal(1, await h.DispatchAsync());

        var message = Assert.Single(await mail.WaitForAsync(1, TimeSpan.FromSeconds(10)));
        var invitation = await h.InvitationAsync(id);
        var surveyUrl = $"{DistributionHarness.PublicUrl}/r/{invitation.Token}";
        Assert.Equal("How likely are you to recommend Acme?", message.GetProperty("subject").GetString());
        Assert.StartsWith("multipart/alternative", MailDev.Header(message, "Content-Type"), StringComparison.Ordinal);

        var html = message.GetProperty("html").GetString()!;
        Assert.Equal(Enumerable.Range(0, 11).Select(s => $"{surveyUrl}?score={s}"), ScoreLinks(html));
        Assert.Contains($"href=\"{surveyUrl}\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<img", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("dir=\"ltr\"", html, StringComparison.Ordinal);

        var text = message.GetProperty("text").GetString()!;
        foreach (var score in Enumerable.Range(0, 11))
        {
            Assert.Contains($"{surveyUrl}?score={score}\n", text, StringComparison.Ordinal);
        }

        Assert.Contains("Hi Robin Park,", text, StringComparison.Ordinal);
        var unsubscribeUrl = $"{DistributionHarness.PublicUrl}/u/{invitation.UnsubscribeToken}";
        Assert.Contains(unsubscribeUrl, text, StringComparison.Ordinal);
        Assert.Equal($"<{unsubscribeUrl}>, <mailto:surveys@promoter.test?subject=unsubscribe%20{invitation.UnsubscribeToken}>",
            MailDev.Header(message, "List-Unsubscribe"));
        Assert.Equal("List-Unsubscribe=One-Click", MailDev.Header(message, "List-Unsubscribe-Post"));

        var emails = await h.EmailsForAsync(id);
        var outbox = emails.Single(e => e.Kind == EmailKinds.Invitation);
        Assert.Equal($"<{outbox.Id:N}@promoter.test>", MailDev.Header(message, "Message-ID"));
        // Its one reminder is queued with it, for three days later (the survey's default).
        var reminder = emails.Single(e => e.Kind == EmailKinds.Reminder);
        Assert.Equal((EmailStatus.Pending, h.Now.AddDays(3)), (reminder.Status, reminder.NextAttemptAt));
        Assert.Equal((InvitationStatus.Sent, h.Now, "en"), (invitation.Status, invitation.SentAt, invitation.Language));
        Assert.Equal(("Dana", "delivery"), (invitation.TeamMember, invitation.Touchpoint));
        Assert.Equal("A-1001", Promoter.Platform.PropertyBags.Read(invitation.Properties)["order"]);
        Assert.True(invitation.Token.Length >= 22 && invitation.Token != invitation.UnsubscribeToken);
    }

    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task The_arabic_invitation_is_right_to_left_with_the_scale_mirrored(DatabaseProvider provider)
    {
        await using var mail = await MailDev.StartAsync();
        await using var h = await DistributionHarness.StartAsync(provider, mail.Settings());
        var survey = await h.CreateSurveyAsync();
        var id = await h.TriggerAsync(survey, "layla@example.org", locale: "ar-SA", name: "ليلى");

        await h.DispatchAsync();

        var message = Assert.Single(await mail.WaitForAsync(1, TimeSpan.FromSeconds(10)));
        var html = message.GetProperty("html").GetString()!;
        Assert.Matches("<html lang=\"ar\" dir=\"rtl\">", html);
        Assert.Contains("<body dir=\"rtl\"", html, StringComparison.Ordinal);
        // Written 10 … 0 in a left-to-right table: 10 sits on the left whether or not the client honours dir on tables.
        var scores = ScoreLinks(html).Select(u => int.Parse(u[(u.LastIndexOf('=') + 1)..], System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(Enumerable.Range(0, 11).Reverse(), scores);
        Assert.Equal("ما مدى احتمال أن توصي بـAcme؟", message.GetProperty("subject").GetString());
        Assert.Contains("<bdi>ليلى</bdi>", html, StringComparison.Ordinal);
        Assert.Equal("ar", (await h.InvitationAsync(id)).Language);
        Assert.Contains("مرحبًا ليلى،", message.GetProperty("text").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Each_of_the_five_languages_writes_its_own_mail_and_a_language_the_survey_does_not_offer_falls_back_to_its_default()
    {
        await using var mail = await MailDev.StartAsync();
        await using var h = await DistributionHarness.StartAsync(DatabaseProvider.Sqlite, mail.Settings());
        var survey = await h.CreateSurveyAsync();
        var swedishOnly = await h.CreateSurveyAsync("Swedish only", new() { ["languages"] = new[] { "sv" }, ["defaultLanguage"] = "sv" });
        foreach (var (locale, i) in new[] { "en", "ar", "mk", "sv", "th" }.Select((l, i) => (l, i)))
        {
            await h.TriggerAsync(survey, $"p{i}-{locale}@example.org", locale: locale);
        }

        await h.TriggerAsync(swedishOnly, "de@example.org", locale: "de-DE");
        await h.DispatchAsync();

        var messages = await mail.WaitForAsync(6, TimeSpan.FromSeconds(10));
        string Subject(string to) => messages.Single(m => m.GetProperty("to")[0].GetProperty("address").GetString() == to).GetProperty("subject").GetString()!;
        Assert.Equal("How likely are you to recommend Acme?", Subject("p0-en@example.org"));
        Assert.Contains("Acme", Subject("p2-mk@example.org"), StringComparison.Ordinal);
        Assert.Matches("[\u0400-\u04FF]", Subject("p2-mk@example.org"));
        Assert.Matches("[\u0E00-\u0E7F]", Subject("p4-th@example.org"));
        Assert.Equal(Subject("p3-sv@example.org"), Subject("de@example.org"));
        Assert.All(messages, m => Assert.Equal(11, ScoreLinks(m.GetProperty("html").GetString()!).Count));
    }

    [Fact]
    public async Task Line_breaks_in_the_brand_or_the_sender_name_never_reach_the_headers()
    {
        await using var mail = await MailDev.StartAsync();
        await using var h = await DistributionHarness.StartAsync(DatabaseProvider.Sqlite, mail.Settings());
        using (var refused = await h.Api.PatchAsync("/api/v1/workspace", JsonContent("{\"senderName\":\"Acme\\r\\nBcc: thief@evil.test\"}")))
        {
            Assert.Equal(400, (int)refused.StatusCode);
            var problem = JsonDocument.Parse(await refused.Content.ReadAsStringAsync()).RootElement;
            Assert.True(problem.GetProperty("errors").TryGetProperty("senderName", out _), problem.ToString());
        }

        using (var accepted = await h.Api.PatchAsync("/api/v1/workspace", JsonContent("{\"senderName\":\"Acme Care\",\"replyToEmail\":\"care@acme.test\"}")))
        {
            Assert.Equal(200, (int)accepted.StatusCode);
        }

        var survey = await h.CreateSurveyAsync(changes: new() { ["brandName"] = "Acme\r\nBcc: thief@evil.test\r\nX-Injected: yes" });
        await h.TriggerAsync(survey, "robin@example.org");
        await h.DispatchAsync();

        var message = Assert.Single(await mail.WaitForAsync(1, TimeSpan.FromSeconds(10)));
        Assert.Equal("", MailDev.Header(message, "Bcc"));
        Assert.Equal("", MailDev.Header(message, "X-Injected"));
        Assert.Equal(["robin@example.org"], message.GetProperty("envelope").GetProperty("to").EnumerateArray().Select(t => t.GetProperty("address").GetString()));
        Assert.Equal("Acme Care", message.GetProperty("from")[0].GetProperty("name").GetString());
        Assert.Contains("care@acme.test", MailDev.Header(message, "Reply-To"), StringComparison.Ordinal);
        Assert.DoesNotContain("\n", message.GetProperty("subject").GetString()!, StringComparison.Ordinal);
    }

    private static StringContent JsonContent(string json) => new(json, System.Text.Encoding.UTF8, "application/json");

    public static List<string> ScoreLinks(string html) =>
        ScoreLink().Matches(html).Select(m => System.Net.WebUtility.HtmlDecode(m.Groups[1].Value)).ToList();

    [GeneratedRegex("href=\"([^\"]*\\?score=\\d+)\"")]
    private static partial Regex ScoreLink();
}
