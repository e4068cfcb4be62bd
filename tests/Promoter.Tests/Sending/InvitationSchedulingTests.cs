using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Promoter.Data;
using Promoter.Distribution;
using Promoter.Platform.Email;
using Promoter.Tests.Collect;
using Promoter.Tests.Infrastructure;

namespace Promoter.Tests.Sending;

/// <summary>When invitations go out, under a fake clock: delays, quiet hours, throttling, reminders, unsubscribes.</summary>
public sealed class InvitationSchedulingTests
{
    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task A_trigger_with_a_delay_is_sent_when_the_delay_is_over_and_not_before(DatabaseProvider provider)
    {
        await using var mail = await MailDev.StartAsync();
        await using var h = await DistributionHarness.StartAsync(provider, mail.Settings());
        var survey = await h.CreateSurveyAsync();

        var (status, body) = await h.TriggerRawAsync(survey, new { contact = new { email = "robin@example.org" }, delaySeconds = 7200 });

        Assert.Equal(201, status);
        Assert.Equal("scheduled", body.GetProperty("status").GetString());
        Assert.Equal(h.Now.AddHours(2), body.GetProperty("scheduledAt").GetDateTime().ToUniversalTime());
        var invitation = await h.InvitationAsync(body.GetProperty("id").GetGuid());
        Assert.Equal($"{DistributionHarness.PublicUrl}/r/{invitation.Token}", body.GetProperty("surveyUrl").GetString());
        Assert.Equal(0, await h.DispatchAsync());
        h.Clock.Advance(TimeSpan.FromMinutes(119));
        Assert.Equal(0, await h.DispatchAsync());
        Assert.Equal(InvitationStatus.Scheduled, (await h.InvitationAsync(invitation.Id)).Status);
        h.Clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(1, await h.DispatchAsync());
        Assert.Single(await mail.WaitForAsync(1, TimeSpan.FromSeconds(10)));
        Assert.Equal((InvitationStatus.Sent, h.Now), ((await h.InvitationAsync(invitation.Id)).Status, (await h.InvitationAsync(invitation.Id)).SentAt));
    }

    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task Quiet_hours_hold_mail_until_eight_in_each_contacts_own_time_zone(DatabaseProvider provider)
    {
        await using var mail = await MailDev.StartAsync();
        // 20:30 UTC: 21:30 in Stockholm (quiet), 03:30 in Bangkok (quiet), 15:30 in New York (daytime).
        await using var h = await DistributionHarness.StartAsync(provider, mail.Settings(), new DateTimeOffset(2026, 3, 2, 20, 30, 0, TimeSpan.Zero));
        var survey = await h.CreateSurveyAsync();
        var stockholm = await h.TriggerAsync(survey, "sv@example.org", timeZone: "Europe/Stockholm");
        var bangkok = await h.TriggerAsync(survey, "th@example.org", timeZone: "Asia/Bangkok");
        var newYork = await h.TriggerAsync(survey, "us@example.org", timeZone: "America/New_York");

        Assert.InRange((await h.InvitationAsync(stockholm)).ScheduledAt, At(3, 7, 0), At(3, 7, 30)); // 08:00–08:30 CET
        Assert.InRange((await h.InvitationAsync(bangkok)).ScheduledAt, At(3, 1, 0), At(3, 1, 30)); // 08:00–08:30 ICT
        Assert.Equal(h.Now, (await h.InvitationAsync(newYork)).ScheduledAt);

        Assert.Equal(1, await h.DispatchAsync());
        Assert.Equal(["us@example.org"], Recipients(await mail.WaitForAsync(1, TimeSpan.FromSeconds(10))));
        h.Clock.Advance(At(3, 0, 59) - h.Now);
        Assert.Equal(0, await h.DispatchAsync());
        h.Clock.Advance(TimeSpan.FromMinutes(32));
        Assert.Equal(1, await h.DispatchAsync());
        h.Clock.Advance(At(3, 7, 31) - h.Now);
        Assert.Equal(1, await h.DispatchAsync());

        Assert.Equal(["us@example.org", "th@example.org", "sv@example.org"], Recipients(await mail.WaitForAsync(3, TimeSpan.FromSeconds(10))));
        foreach (var (id, zone) in new[] { (stockholm, "Europe/Stockholm"), (bangkok, "Asia/Bangkok"), (newYork, "America/New_York") })
        {
            var sent = (await h.InvitationAsync(id)).SentAt!.Value;
            Assert.InRange(TimeZoneInfo.ConvertTimeFromUtc(sent, TimeZoneInfo.FindSystemTimeZoneById(zone)).Hour, 8, 20);
        }
    }

    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task Nobody_is_surveyed_twice_within_the_throttle_window_across_surveys_and_the_throttled_invitation_is_recorded(DatabaseProvider provider)
    {
        await using var relay = await FaultSmtp.StartAsync();
        await using var h = await DistributionHarness.StartAsync(provider, relay.Settings());
        var delivery = await h.CreateSurveyAsync("Delivery");
        var support = await h.CreateSurveyAsync("Support");
        var first = await h.TriggerAsync(delivery, "robin@example.org");
        await h.DispatchAsync();
        Assert.Equal(InvitationStatus.Sent, (await h.InvitationAsync(first)).Status);

        // Ten days later another survey asks about the same person: recorded as throttled, no mail queued.
        h.Clock.Advance(TimeSpan.FromDays(10));
        var (status, body) = await h.TriggerRawAsync(support, new { contact = new { email = "Robin@Example.org" }, properties = new { ticket = "T-7" } });
        Assert.Equal(201, status);
        Assert.Equal("throttled", body.GetProperty("status").GetString());
        var throttled = await h.InvitationAsync(body.GetProperty("id").GetGuid());
        Assert.Contains("within the 90-day window", throttled.StatusReason, StringComparison.Ordinal);
        Assert.Contains(delivery.ToString(), throttled.StatusReason, StringComparison.Ordinal);
        Assert.Equal("T-7", Promoter.Platform.PropertyBags.Read(throttled.Properties)["ticket"]);
        Assert.Empty(await h.EmailsForAsync(throttled.Id));

        // On the 90th day the window is over.
        h.Clock.Advance(TimeSpan.FromDays(80));
        var later = await h.TriggerAsync(support, "robin@example.org");
        await h.DispatchAsync();
        Assert.Equal(InvitationStatus.Sent, (await h.InvitationAsync(later)).Status);
        Assert.Equal(2, (await relay.MessagesAsync()).Count);
    }

    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task The_throttle_is_checked_again_at_send_time_against_answers_from_other_channels(DatabaseProvider provider)
    {
        await using var relay = await FaultSmtp.StartAsync();
        await using var h = await DistributionHarness.StartAsync(provider, relay.Settings());
        var delivery = await h.CreateSurveyAsync("Delivery");
        var website = await h.CreateSurveyAsync("Website");
        var quarterly = await h.CreateSurveyAsync("Quarterly", new() { ["throttleDays"] = 0 });
        var pending = await h.TriggerAsync(delivery, "sam@example.org", delaySeconds: 2 * 86400);
        var unthrottled = await h.TriggerAsync(quarterly, "sam@example.org", delaySeconds: 2 * 86400);

        // Meanwhile Sam answers another survey through the API (a helpdesk's own form).
        h.Clock.Advance(TimeSpan.FromDays(1));
        using (var answered = await h.Api.PostAsJsonAsync("/api/v1/responses",
                   new { surveyId = website, score = 8, contact = new { email = "sam@example.org" }, respondedAt = h.Now }))
        {
            Assert.True(answered.IsSuccessStatusCode, await answered.Content.ReadAsStringAsync());
        }

        h.Clock.Advance(TimeSpan.FromDays(1) + TimeSpan.FromMinutes(1));
        await h.DispatchAsync();

        var throttled = await h.InvitationAsync(pending);
        Assert.Equal(InvitationStatus.Throttled, throttled.Status);
        Assert.Contains("they answered a survey (api)", throttled.StatusReason, StringComparison.Ordinal);
        Assert.Equal(EmailStatus.Cancelled, (await h.EmailsForAsync(pending)).Single().Status);
        // A survey whose own window is 0 days is not throttled.
        Assert.Equal(InvitationStatus.Sent, (await h.InvitationAsync(unthrottled)).Status);
        Assert.Single(await relay.MessagesAsync());
    }

    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task Unsubscribing_between_scheduling_and_sending_stops_the_invitation(DatabaseProvider provider)
    {
        await using var relay = await FaultSmtp.StartAsync();
        await using var h = await DistributionHarness.StartAsync(provider, relay.Settings());
        var survey = await h.CreateSurveyAsync();
        var id = await h.TriggerAsync(survey, "quiet@example.org", delaySeconds: 3600);
        var token = (await h.InvitationAsync(id)).UnsubscribeToken;

        using var anonymous = h.Server.CreateClient();
        using (var oneClick = await anonymous.PostAsync($"/u/{token}", new StringContent("List-Unsubscribe=One-Click", System.Text.Encoding.ASCII, "application/x-www-form-urlencoded")))
        {
            Assert.Equal(200, (int)oneClick.StatusCode);
        }

        h.Clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(1, await h.DispatchAsync());

        var invitation = await h.InvitationAsync(id);
        Assert.Equal(InvitationStatus.Suppressed, invitation.Status);
        Assert.Contains("unsubscribed", invitation.StatusReason, StringComparison.Ordinal);
        Assert.Empty(await relay.MessagesAsync());
        // A new trigger for the address is recorded as suppressed at once.
        var (_, again) = await h.TriggerRawAsync(survey, new { contact = new { email = "QUIET@example.org" } });
        Assert.Equal("suppressed", again.GetProperty("status").GetString());
    }

    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task One_reminder_goes_after_three_days_to_non_responders_only(DatabaseProvider provider)
    {
        await using var mail = await MailDev.StartAsync();
        await using var h = await DistributionHarness.StartAsync(provider, mail.Settings());
        var survey = await h.CreateSurveyAsync();
        var noReminders = await h.CreateSurveyAsync("No reminders", new() { ["reminderDays"] = null });
        var silent = await h.TriggerAsync(survey, "silent@example.org");
        var answers = await h.TriggerAsync(survey, "answers@example.org");
        var leaves = await h.TriggerAsync(survey, "leaves@example.org");
        var off = await h.TriggerAsync(noReminders, "off@example.org");
        Assert.Equal(4, await h.DispatchAsync());

        // One answers on the survey page (an hour later, so the visit is not taken for a scanner); one unsubscribes.
        h.Clock.Advance(TimeSpan.FromHours(1));
        using var browser = h.Server.CreateClient();
        var url = $"/r/{(await h.InvitationAsync(answers)).Token}";
        var (html, ticket) = await RespondentKit.OpenAsync(browser, url + "?score=9");
        var (status, _) = await RespondentKit.PostAsync(browser, url, ("t", ticket), ("score", "9"), ("comment", "Fine"));
        Assert.Equal(System.Net.HttpStatusCode.OK, status);
        Assert.Contains("Acme", html, StringComparison.Ordinal);
        using (var form = await browser.PostAsync($"/u/{(await h.InvitationAsync(leaves)).UnsubscribeToken}",
                   RespondentKit.Form(("List-Unsubscribe", "One-Click"), ("via", "page"))))
        {
            Assert.Equal(200, (int)form.StatusCode);
        }

        h.Clock.Advance(TimeSpan.FromDays(3) - TimeSpan.FromHours(1) - TimeSpan.FromMinutes(1));
        Assert.Equal(0, await h.DispatchAsync());
        h.Clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(3, await h.DispatchAsync());
        h.Clock.Advance(TimeSpan.FromDays(10));
        Assert.Equal(0, await h.DispatchAsync());

        var messages = await mail.WaitForAsync(5, TimeSpan.FromSeconds(10));
        var reminders = messages.Where(m => m.GetProperty("subject").GetString()!.StartsWith("Reminder:", StringComparison.Ordinal)).ToList();
        Assert.Equal(["silent@example.org"], Recipients(reminders));
        var silentToken = (await h.InvitationAsync(silent)).Token;
        Assert.Equal(Enumerable.Range(0, 11).Select(s => $"{DistributionHarness.PublicUrl}/r/{silentToken}?score={s}"),
            InvitationEmailTests.ScoreLinks(reminders[0].GetProperty("html").GetString()!));
        Assert.Equal(h.Now - TimeSpan.FromDays(10), (await h.InvitationAsync(silent)).ReminderSentAt);
        Assert.Equal(EmailStatus.Cancelled, (await h.EmailsForAsync(answers)).Single(e => e.Kind == EmailKinds.Reminder).Status);
        Assert.Equal(InvitationStatus.Responded, (await h.InvitationAsync(answers)).Status);
        Assert.Equal(EmailStatus.Suppressed, (await h.EmailsForAsync(leaves)).Single(e => e.Kind == EmailKinds.Reminder).Status);
        Assert.DoesNotContain(await h.EmailsForAsync(off), e => e.Kind == EmailKinds.Reminder);
        Assert.Null((await h.InvitationAsync(answers)).ReminderSentAt);
    }

    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task A_recurring_send_surveys_each_contact_every_90_days_spread_over_the_days(DatabaseProvider provider)
    {
        await using var relay = await FaultSmtp.StartAsync();
        await using var h = await DistributionHarness.StartAsync(provider, relay.Settings());
        var survey = await h.CreateSurveyAsync("Quarterly", new() { ["reminderDays"] = null });
        var start = h.Now;
        var contacts = await h.QueryAsync(async db =>
        {
            var list = Enumerable.Range(0, 24).Select(i => new Contact
            {
                Id = Guid.CreateVersion7(), Email = $"c{i}@example.org", EmailKey = $"c{i}@example.org",
                TimeZone = i % 2 == 0 ? "Asia/Bangkok" : null, CreatedAt = h.Now, UpdatedAt = h.Now,
            }).ToList();
            db.Contacts.AddRange(list);
            await db.SaveChangesAsync();
            return list.Select(c => c.Id).ToList();
        });
        using (var created = await h.Api.PostAsJsonAsync("/api/v1/recurring-sends", new { surveyId = survey, name = "Quarterly NPS", everyDays = 90 }))
        {
            Assert.Equal(201, (int)created.StatusCode);
        }

        // The worker's loop, driven by hand from one due moment to the next (a recurring round or a mail) for 185 days.
        var enrolled = 0;
        var end = start.AddDays(185);
        while (true)
        {
            enrolled += (await h.RunRecurringAsync()).Enrolled;
            await h.DispatchAsync();
            var next = await h.QueryAsync(async db =>
            {
                var round = await db.RecurringEnrollments.MinAsync(e => (DateTime?)e.NextDueAt);
                var email = await db.OutboundEmails.Where(e => e.Status == EmailStatus.Pending).MinAsync(e => (DateTime?)e.NextAttemptAt);
                return new[] { round, email }.Where(d => d is not null).Min();
            });
            if (next is not { } due || due > end)
            {
                break;
            }

            h.Clock.Advance(due > h.Now ? due - h.Now : TimeSpan.FromSeconds(1));
        }

        Assert.Equal(24, enrolled);
        var invitations = await h.QueryAsync(db => db.Invitations.AsNoTracking().ToListAsync());
        Assert.All(invitations, i => Assert.Equal(InvitationStatus.Sent, i.Status));
        foreach (var contact in contacts)
        {
            // Every 90 days: rounds 0 and 1 for everyone, a third for those whose slot fell in the first five days.
            var rounds = invitations.Where(i => i.ContactId == contact).OrderBy(i => i.Occurrence).ToList();
            Assert.InRange(rounds.Count, 2, 3);
            Assert.Equal(Enumerable.Range(0, rounds.Count), rounds.Select(r => r.Occurrence));
            for (var r = 1; r < rounds.Count; r++)
            {
                Assert.InRange((rounds[r].SentAt!.Value - rounds[r - 1].SentAt!.Value).TotalDays, 89.9, 90.1);
            }
        }

        // Spread over the cycle, not sent in one burst: the first round covers many different days, at most two a day.
        var perDay = invitations.Where(i => i.Occurrence == 0).GroupBy(i => i.SentAt!.Value.Date).Select(g => g.Count()).ToList();
        Assert.True(perDay.Count >= 20, $"only {perDay.Count} distinct days");
        Assert.True(perDay.Max() <= 2, $"{perDay.Max()} on one day");
        Assert.True(invitations.Where(i => i.Occurrence == 0).Max(i => i.SentAt!.Value) - start > TimeSpan.FromDays(80));
        Assert.Equal(invitations.Count, (await relay.MessagesAsync()).Count);
    }

    private static DateTime At(int day, int hour, int minute) => new(2026, 3, day, hour, minute, 0, DateTimeKind.Utc);

    private static List<string> Recipients(IEnumerable<JsonElement> messages) =>
        messages.Select(m => m.GetProperty("to")[0].GetProperty("address").GetString()!).ToList();
}
