using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Promoter.Data;
using Promoter.Loop;
using Promoter.Platform.Email;
using Promoter.Tests.Collect;
using Promoter.Tests.Infrastructure;
using Promoter.Tests.Loop;

namespace Promoter.Tests.Browser;

/// <summary>Issue 14, "screens that must tell the truth": replies, anonymous cases, placeholders, intervals, the Loop page.</summary>
[Collection(BrowserTests.Name)]
[Trait("Category", "Browser")]
public sealed partial class HonestScreensBrowserTests(BrowserFixture browser)
{
    public static TheoryData<bool> Script => new() { true, false };

    // 1. A reply that cannot leave is not "sent".
    [Theory]
    [MemberData(nameof(Script))]
    public async Task Without_a_mail_relay_a_reply_shows_as_not_sent_the_agent_is_warned_first_and_the_detractor_is_not_counted_contacted(bool javaScript)
    {
        await using var h = await LoopHarness.StartAsync(DatabaseProvider.Sqlite);
        var responseId = await h.RespondAsync(2, "Late again", "robin@example.com");
        await h.ProcessAsync();
        var theCase = await h.CaseOfAsync(responseId);
        var page = await SignedInPageAsync(h, javaScript);

        await page.GotoAsync($"/cases/{theCase.Id}");
        await Assertions.Expect(page.Locator("#reply #mail-relay")).ToHaveAttributeAsync("data-relay", "none");
        await Assertions.Expect(page.Locator("#relay-warning")).ToContainTextAsync("will not leave");
        Assert.Equal(0, await page.GetByRole(AriaRole.Button, new() { Name = "Send reply" }).CountAsync());
        var body = await page.GetByLabel("Message").InputValueAsync();
        await page.GetByLabel("Message").FillAsync(body.Replace("…", "we will call you tomorrow", StringComparison.Ordinal));
        await page.GetByRole(AriaRole.Button, new() { Name = "Queue reply anyway" }).ClickAsync();

        await Assertions.Expect(page.Locator("#done")).ToContainTextAsync("cannot leave: no mail relay is configured");
        await Assertions.Expect(page.Locator("#thread .mail-state")).ToHaveAttributeAsync("data-state", "no_relay");
        await Assertions.Expect(page.Locator("#thread .mail-state")).ToContainTextAsync("Not sent: no mail relay is configured");
        await Assertions.Expect(page.Locator("#case-status")).ToContainTextAsync("new");

        // The dispatcher tries and cannot: still not sent, still not contacted.
        await h.Server.Services.GetRequiredService<EmailDispatcher>().DispatchDueAsync(CancellationToken.None);
        await page.ReloadAsync();
        await Assertions.Expect(page.Locator("#thread .mail-state")).ToHaveAttributeAsync("data-state", "no_relay");
        await Assertions.Expect(page.Locator("#case-status")).ToContainTextAsync("new");
        Assert.Null((await h.CaseOfAsync(responseId)).FirstContactedAt);

        // Past the 24 h SLA the detractor counts as not contacted in time, and the Loop page says why.
        h.Clock!.Advance(TimeSpan.FromHours(25));
        var sla = (await h.Api.GetFromJsonAsync<JsonElement>("/api/v1/loop/metrics")).GetProperty("detractorsContactedWithinSla");
        Assert.Equal(1, sla.GetProperty("decided").GetInt32());
        Assert.Equal(0, sla.GetProperty("withinSla").GetInt32());
        await SurveyEditorBrowserTests.SignInAsync(page, h.Workspace.OwnerEmail, h.Workspace.OwnerPassword); // a day later: signed out
        await page.GotoAsync("/loop");
        await Assertions.Expect(page.Locator("#sla-share")).ToHaveTextAsync("0 %");
        await Assertions.Expect(page.Locator("#sla-relay")).ToContainTextAsync("No mail relay is configured");

        // Everywhere else mail is composed: alert rules and digests, invitations.
        foreach (var path in new[] { "/settings/loop", "/sending", "/sends/new" })
        {
            await page.GotoAsync(path);
            await Assertions.Expect(page.Locator("#mail-relay")).ToHaveAttributeAsync("data-relay", "none");
            await Assertions.Expect(page.Locator("#mail-relay")).ToContainTextAsync("queued, not sent");
        }
    }

    [Fact]
    public async Task A_reply_counts_as_the_first_contact_only_once_the_relay_accepted_it_and_a_logged_call_counts_too()
    {
        await using var mail = await MailDev.StartAsync();
        await using var h = await LoopHarness.StartAsync(DatabaseProvider.Sqlite, settings: mail.Settings());
        var replied = await h.RespondAsync(3, "Billing mess", "ada@example.com");
        var called = await h.RespondAsync(1, "Nobody answers the phone", "bo@example.com");
        await h.ProcessAsync();
        var page = await SignedInPageAsync(h, javaScript: true);

        await page.GotoAsync($"/cases/{(await h.CaseOfAsync(replied)).Id}");
        await Assertions.Expect(page.Locator("#mail-relay")).ToHaveAttributeAsync("data-relay", "configured");
        await Assertions.Expect(page.Locator("#relay-warning")).ToHaveCountAsync(0);
        var body = await page.GetByLabel("Message").InputValueAsync();
        await page.GetByLabel("Message").FillAsync(body.Replace("…", "the refund is on its way", StringComparison.Ordinal));
        await page.GetByRole(AriaRole.Button, new() { Name = "Send reply" }).ClickAsync();
        await Assertions.Expect(page.Locator("#done")).ToContainTextAsync("Reply queued");
        await Assertions.Expect(page.Locator("#thread .mail-state")).ToHaveAttributeAsync("data-state", "queued");
        await Assertions.Expect(page.Locator("#case-status")).ToContainTextAsync("new");
        Assert.Null((await h.CaseOfAsync(replied)).FirstContactedAt);

        await h.Server.Services.GetRequiredService<EmailDispatcher>().DispatchDueAsync(CancellationToken.None);
        Assert.Single(await mail.WaitForAsync(1, TimeSpan.FromSeconds(15), "ada@example.com"));
        await page.ReloadAsync();
        await Assertions.Expect(page.Locator("#thread .mail-state")).ToHaveAttributeAsync("data-state", "sent");
        await Assertions.Expect(page.Locator("#thread .mail-state")).ToContainTextAsync("Sent: the mail relay accepted it");
        await Assertions.Expect(page.Locator("#case-status")).ToContainTextAsync("contacted");
        Assert.NotNull((await h.CaseOfAsync(replied)).FirstContactedAt);

        await page.GotoAsync($"/cases/{(await h.CaseOfAsync(called)).Id}");
        await page.Locator("#log-contact select[name=Channel]").SelectOptionAsync("phone");
        await page.GetByLabel("What was said (optional)").FillAsync("Called back, sorted it out");
        await page.GetByRole(AriaRole.Button, new() { Name = "Log contact" }).ClickAsync();
        await Assertions.Expect(page.Locator("#done")).ToContainTextAsync("Contact logged");
        await Assertions.Expect(page.Locator("#thread")).ToContainTextAsync("Phone call: Called back, sorted it out");
        await Assertions.Expect(page.Locator("#case-status")).ToContainTextAsync("contacted");

        var sla = (await h.Api.GetFromJsonAsync<JsonElement>("/api/v1/loop/metrics")).GetProperty("detractorsContactedWithinSla");
        Assert.Equal(2, sla.GetProperty("withinSla").GetInt32());
    }

    // 2. Anonymous responses.
    [Theory]
    [MemberData(nameof(Script))]
    public async Task An_anonymous_case_offers_a_call_a_note_and_closing_instead_of_a_reply_and_says_why(bool javaScript)
    {
        await using var h = await LoopHarness.StartAsync(DatabaseProvider.Sqlite);
        var responseId = await h.RespondAsync(1, "Rude staff at the desk");
        await h.ProcessAsync();
        var theCase = await h.CaseOfAsync(responseId);
        var page = await SignedInPageAsync(h, javaScript);

        await page.GotoAsync($"/cases/{theCase.Id}");
        await Assertions.Expect(page.Locator("#no-email")).ToContainTextAsync("answered anonymously");
        await Assertions.Expect(page.Locator("#no-email")).ToContainTextAsync("log it below");
        foreach (var name in new[] { "Send reply", "Queue reply anyway", "Tell them what we did and close", "Queue what we did and close" })
        {
            Assert.Equal(0, await page.GetByRole(AriaRole.Button, new() { Name = name }).CountAsync());
        }

        Assert.Equal(0, await page.GetByLabel("Message").CountAsync());

        await page.Locator("#log-contact select[name=Channel]").SelectOptionAsync("in_person");
        await page.GetByRole(AriaRole.Button, new() { Name = "Log contact" }).ClickAsync();
        await Assertions.Expect(page.Locator("#thread")).ToContainTextAsync("In person.");
        await Assertions.Expect(page.Locator("#case-status")).ToContainTextAsync("contacted");

        await page.Locator("#note-body").FillAsync("Spoke to the desk manager.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add note" }).ClickAsync();
        await Assertions.Expect(page.Locator("#notes")).ToContainTextAsync("Spoke to the desk manager.");
        await page.Locator("#manage select[name=Status]").SelectOptionAsync("closed");
        await page.Locator("#manage").GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Assertions.Expect(page.Locator("#case-status")).ToContainTextAsync("closed");

        // The API says the same, before the agent writes anything.
        using var reply = await h.Api.PostAsJsonAsync($"/api/v1/cases/{theCase.Id}/replies", new { body = "Hello" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, reply.StatusCode);
        Assert.Equal("no_contact_email", (await reply.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
    }

    // 3. Templates with placeholders left in.
    [Theory]
    [MemberData(nameof(Script))]
    public async Task A_reply_with_a_placeholder_left_in_is_refused_with_the_placeholder_marked_in_every_language(bool javaScript)
    {
        await using var h = await LoopHarness.StartAsync(DatabaseProvider.Sqlite);
        var responseId = await h.RespondAsync(2, "Slow", "lin@example.com", name: "Lin");
        await h.ProcessAsync();
        var theCase = await h.CaseOfAsync(responseId);
        var page = await SignedInPageAsync(h, javaScript);

        foreach (var language in new[] { "en", "sv", "mk", "ar", "th" })
        {
            await page.GotoAsync($"/cases/{theCase.Id}?template=detractor&language={language}");
            var message = page.GetByLabel("Message");
            var template = await message.InputValueAsync();
            Assert.Equal(2, template.Count(ch => ch == '…'));
            var first = template.IndexOf('…', StringComparison.Ordinal);
            await message.FillAsync(template[..first] + "a call tomorrow" + template[(first + 1)..]);
            await page.Locator("#reply-form button[type=submit]").ClickAsync();

            await Assertions.Expect(page.Locator("#errors")).ToContainTextAsync("Replace the placeholder …");
            var marked = page.Locator("#placeholders-body mark.placeholder");
            await Assertions.Expect(marked).ToHaveCountAsync(1);
            await Assertions.Expect(marked).ToHaveTextAsync("…");
            await Assertions.Expect(page.Locator("#placeholders-body pre")).ToContainTextAsync("a call tomorrow");
            if (javaScript)
            {
                // The cursor waits on the placeholder, selected, in the agent's own text.
                var left = (await message.InputValueAsync()).IndexOf('…', StringComparison.Ordinal);
                Assert.Equal(left, await message.EvaluateAsync<int>("e => e.selectionStart"));
                Assert.Equal(left + 1, await message.EvaluateAsync<int>("e => e.selectionEnd"));
            }
        }

        Assert.Empty(await h.MailsAsync(EmailKinds.CaseReply));
        using var api = await h.Api.PostAsJsonAsync($"/api/v1/cases/{theCase.Id}/replies", new { body = "Hi Lin,\nHere is what we will do: …" });
        Assert.Equal(HttpStatusCode.BadRequest, api.StatusCode);
        var errors = (await api.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Contains("line 2", errors.GetProperty("body")[0].GetString(), StringComparison.Ordinal);
    }

    // 4. The interval reads right.
    [Theory]
    [MemberData(nameof(Script))]
    public async Task The_interval_reads_as_a_range_in_plain_words_with_real_minus_signs_human_labels_and_whole_number_counts(bool javaScript)
    {
        await using var server = await PromoterTestServer.StartAsync(DatabaseProvider.Sqlite);
        var ws = await server.CreateWorkspaceAsync("Interval");
        using var api = server.CreateApiClient(ws.ApiKey);
        var survey = await RespondentKit.CreateSurveyAsync(api);
        foreach (var (score, member) in new[] { (2, "Ana"), (5, "Ana"), (8, "Bo"), (10, "Bo") })
        {
            (await api.PostAsJsonAsync("/api/v1/responses", new { surveyId = survey, score, teamMember = member })).EnsureSuccessStatusCode();
        }

        await using var context = await browser.Browser.NewContextAsync(new() { BaseURL = server.BaseAddress.ToString(), JavaScriptEnabled = javaScript });
        var page = await context.NewPageAsync();
        await SurveyEditorBrowserTests.SignInAsync(page, ws.OwnerEmail, ws.OwnerPassword);
        await page.GotoAsync("/");

        await Assertions.Expect(page.Locator("#headline-nps")).ToHaveTextAsync("−25.0");
        await Assertions.Expect(page.Locator("#headline-range")).ToHaveTextAsync("95% interval −73 to +44");
        await Assertions.Expect(page.Locator("#headline-ci")).ToContainTextAsync("(adjusted Wald)");
        await Assertions.Expect(page.Locator("#headline-moe")).ToHaveCountAsync(0); // not symmetric around −25
        await Assertions.Expect(page.Locator("#headline-ci")).Not.ToContainTextAsync("±");
        const string Sentence = "With 4 answers, the true NPS is likely between −73 and +44";
        Assert.StartsWith(Sentence, await page.Locator("#headline-ci").GetAttributeAsync("title"), StringComparison.Ordinal);
        await page.Locator("#headline-ci-explain summary").ClickAsync();
        await Assertions.Expect(page.Locator("#headline-ci-explain p")).ToContainTextAsync(Sentence);

        await Assertions.Expect(page.Locator("#breakdown thead th").First).ToHaveTextAsync("Team member");
        await Assertions.Expect(page.Locator("#by option[value=teamMember]")).ToHaveTextAsync("Team member");
        var intervals = await page.Locator("#breakdown td:nth-child(4)").AllInnerTextsAsync();
        Assert.Equal(2, intervals.Count);
        Assert.All(intervals, t => Assert.Matches(@"^[−+]?\d+\.\d to [−+]?\d+\.\d$", t.Trim()));
        Assert.Contains(intervals, t => t.StartsWith('−'));
        var numbers = string.Join(" ", await page.Locator("#headline-ci, #breakdown tbody, #trend-table td:not(:first-child)").AllTextContentsAsync());
        Assert.DoesNotMatch(HyphenMinus(), numbers);
        Assert.DoesNotContain("teamMember", await page.Locator("body").InnerTextAsync(), StringComparison.Ordinal);

        if (javaScript)
        {
            await Assertions.Expect(page.Locator("#histogram-chart")).ToHaveAttributeAsync("data-rendered", "true");
            var counts = await page.EvaluateAsync<double[]>("() => Chart.getChart(document.getElementById('histogram-chart')).scales.y.ticks.map(t => t.value)");
            Assert.NotEmpty(counts);
            Assert.All(counts, v => Assert.Equal(Math.Round(v), v));
            var trendLabels = await page.EvaluateAsync<string[]>("() => Chart.getChart(document.getElementById('trend-chart')).scales.y.ticks.map(t => String(t.label))");
            Assert.Contains(trendLabels, l => l.StartsWith('−'));
            Assert.DoesNotContain(trendLabels, l => l.Contains('-', StringComparison.Ordinal));
        }
    }

    // 5. The Loop page.
    [Fact]
    public async Task The_loop_page_says_why_each_empty_card_is_empty_and_stays_short_with_many_cases()
    {
        await using var h = await LoopHarness.StartAsync(DatabaseProvider.Sqlite);
        var page = await SignedInPageAsync(h, javaScript: true);
        await page.SetViewportSizeAsync(1280, 900);
        await page.GotoAsync("/loop");
        foreach (var card in new[] { "#sla-card", "#top-root-causes", "#top-tags", "#root-causes-by-month", "#per-owner-card", "#promoters" })
        {
            await Assertions.Expect(page.Locator($"{card} .empty-why")).ToBeVisibleAsync();
        }

        await Assertions.Expect(page.Locator("#loop-metrics .empty-why")).ToHaveCountAsync(5);
        await Assertions.Expect(page.Locator("#sla-card .empty-why")).ToContainTextAsync("a reply the mail relay accepted, or a logged call");
        await Assertions.Expect(page.Locator("#top-root-causes .empty-why")).ToContainTextAsync("Choose one on a case");

        // Two years of detractors with root causes and tags, and 60 promoters who wrote at length, twice.
        const int Detractors = 100, Promoters = 60;
        var longComment = string.Concat(Enumerable.Repeat("The onboarding call was patient and thorough, and support answered within the hour. ", 6));
        for (var i = 0; i < Detractors; i++)
        {
            await h.RespondAsync(i % 7, $"Problem {i}", $"d{i}@example.com");
        }

        for (var i = 0; i < Promoters; i++)
        {
            for (var visit = 0; visit < 2; visit++)
            {
                await h.RespondAsync(9 + visit, longComment + i, $"p{i}@example.com");
            }
        }

        await h.ProcessAsync();
        await h.QueryAsync(async db =>
        {
            var cases = await db.Cases.Where(c => c.Category == Promoter.Core.NpsCategory.Detractor).OrderBy(c => c.ResponseId).ToListAsync();
            for (var i = 0; i < cases.Count; i++)
            {
                cases[i].RespondedAt = cases[i].RespondedAt.AddDays(-7 * i); // one a week, back two years
                cases[i].RootCause = LoopSettings.DefaultRootCauses[i % LoopSettings.DefaultRootCauses.Length];
                cases[i].Tags = $"tag{i % 15},area{i % 4}";
            }

            return await db.SaveChangesAsync();
        });

        await page.GotoAsync("/loop");
        await Assertions.Expect(page.Locator("#promoters-page")).ToContainTextAsync("Page 1 of 3");
        var height = await page.EvaluateAsync<int>("() => document.documentElement.scrollHeight");
        Assert.True(height < 6000, $"The Loop page is {height} px tall.");
        Assert.Equal(12, await page.Locator("#root-causes-by-month tbody tr").CountAsync());
        Assert.Equal(20, await page.Locator("#promoters tbody tr").CountAsync());
        await page.GetByRole(AriaRole.Link, new() { Name = "Next →" }).ClickAsync();
        await Assertions.Expect(page.Locator("#promoters-page")).ToContainTextAsync("Page 2 of 3");
        await Assertions.Expect(page.Locator("#promoters tbody tr")).ToHaveCountAsync(20);
    }

    private async Task<IPage> SignedInPageAsync(LoopHarness h, bool javaScript)
    {
        var context = await browser.Browser.NewContextAsync(new() { BaseURL = h.Server.BaseAddress.ToString(), JavaScriptEnabled = javaScript });
        var page = await context.NewPageAsync();
        await SurveyEditorBrowserTests.SignInAsync(page, h.Workspace.OwnerEmail, h.Workspace.OwnerPassword);
        return page;
    }

    /// <summary>An ASCII hyphen-minus before a digit: a negative number written without the real minus sign.</summary>
    [GeneratedRegex(@"(?<![\d-])-\d")]
    private static partial Regex HyphenMinus();
}
