using Microsoft.EntityFrameworkCore;
using Promoter.Data;
using Promoter.Distribution;
using Promoter.Platform.Email;
using Promoter.Tests.Infrastructure;

namespace Promoter.Tests.Sending;

/// <summary>Invitations when the relay misbehaves: down, temporary and permanent refusals, a node killed mid-send.</summary>
public sealed class InvitationFaultTests
{
    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task An_invitation_queued_while_the_relay_is_down_is_delivered_once_when_it_is_back(DatabaseProvider provider)
    {
        var port = NodeTools.FreePort();
        await using var h = await DistributionHarness.StartAsync(provider, new Dictionary<string, string?>
        {
            ["Smtp:Host"] = "127.0.0.1", ["Smtp:Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture), ["Smtp:From"] = "surveys@promoter.test",
        });
        var survey = await h.CreateSurveyAsync();
        var id = await h.TriggerAsync(survey, "robin@example.org");

        await h.DispatchAsync();
        var waiting = await h.InvitationAsync(id);
        Assert.Equal((InvitationStatus.Scheduled, (DateTime?)null), (waiting.Status, waiting.SentAt));
        Assert.StartsWith("Could not reach the mail server", waiting.StatusReason, StringComparison.Ordinal);

        MailDev? mail = null;
        try
        {
            // Thirty hours: the relay comes back after twelve; retries that fall in the night wait for the morning.
            for (var hour = 1; hour <= 30; hour++)
            {
                h.Clock.Advance(TimeSpan.FromHours(1));
                if (hour == 12)
                {
                    mail = await MailDev.StartAsync(port);
                }

                await h.DispatchAsync();
            }

            var message = Assert.Single(await mail!.WaitForAsync(1, TimeSpan.FromSeconds(10)));
            var email = (await h.EmailsForAsync(id)).Single(e => e.Kind == EmailKinds.Invitation);
            Assert.Equal($"<{email.Id:N}@promoter.test>", MailDev.Header(message, "Message-ID"));
            var sent = await h.InvitationAsync(id);
            Assert.Equal(InvitationStatus.Sent, sent.Status);
            Assert.InRange(sent.SentAt!.Value.Hour, 8, 20); // the workspace's zone (UTC): never in quiet hours
            Assert.Null(sent.StatusReason);
            Assert.Single(await mail.MessagesAsync());
        }
        finally
        {
            if (mail is not null)
            {
                await mail.DisposeAsync();
            }
        }
    }

    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task A_4xx_is_retried_a_5xx_is_not_and_a_hard_bounce_suppresses_later_invitations(DatabaseProvider provider)
    {
        await using var relay = await FaultSmtp.StartAsync();
        await using var h = await DistributionHarness.StartAsync(provider, relay.Settings());
        var survey = await h.CreateSurveyAsync();
        var greylisted = await h.TriggerAsync(survey, "tempfail1-ann@example.org");
        var bounced = await h.TriggerAsync(survey, "bounce-bo@example.org");
        var refused = await h.TriggerAsync(survey, "policy-cy@example.org");

        Assert.Equal(3, await h.DispatchAsync());
        Assert.Equal(InvitationStatus.Scheduled, (await h.InvitationAsync(greylisted)).Status);
        Assert.Contains("451", (await h.InvitationAsync(greylisted)).StatusReason, StringComparison.Ordinal);
        var bounce = await h.InvitationAsync(bounced);
        Assert.Equal(InvitationStatus.Bounced, bounce.Status);
        Assert.Contains("5.1.1", bounce.StatusReason, StringComparison.Ordinal);
        Assert.Equal(InvitationStatus.Bounced, (await h.InvitationAsync(refused)).Status);

        h.Clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(1, await h.DispatchAsync());
        Assert.Equal(InvitationStatus.Sent, (await h.InvitationAsync(greylisted)).Status);
        h.Clock.Advance(TimeSpan.FromHours(6));
        await h.DispatchAsync();
        Assert.Equal(2, await relay.AttemptsForAsync("tempfail1-ann@example.org"));
        Assert.Equal(1, await relay.AttemptsForAsync("bounce-bo@example.org"));
        Assert.Equal(1, await relay.AttemptsForAsync("policy-cy@example.org"));

        // The bad mailbox is on the suppression list: another survey's invitation is recorded as suppressed, never sent.
        var other = await h.CreateSurveyAsync("Other", new() { ["throttleDays"] = 0 });
        var (_, again) = await h.TriggerRawAsync(other, new { contact = new { email = "bounce-bo@example.org" } });
        Assert.Equal("suppressed", again.GetProperty("status").GetString());
        Assert.Contains("hardbounce", (await h.InvitationAsync(again.GetProperty("id").GetGuid())).StatusReason, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task A_node_killed_between_claim_and_send_leaves_the_invitation_sent_once_more_with_the_same_message_id(DatabaseProvider provider)
    {
        await using var relay = await FaultSmtp.StartAsync();
        await using var database = await TestDatabase.CreateAsync(provider);
        Guid id;
        Guid workspaceId;
        await using (var first = await DistributionHarness.StartAsync(provider, relay.Settings(), TimeProvider.System.GetUtcNow(), database))
        {
            workspaceId = first.Workspace.Id;
            // Quiet hours off: the real node runs on the real clock, whatever the time of day of this test run.
            await first.SetAsync(async db => (await db.Workspaces.SingleAsync(w => w.Id == workspaceId)).TimeZone = QuietZoneNow());
            var survey = await first.CreateSurveyAsync();
            id = await first.TriggerAsync(survey, "hang1-dee@example.org");
        }

        var node = PromoterProcess.StartInfo(["serve", "--urls", "http://127.0.0.1:0"], environment: new Dictionary<string, string>
        {
            ["Database__Provider"] = provider.ToString(),
            ["Database__ConnectionString"] = database.ConnectionString,
            ["Smtp__Host"] = "127.0.0.1",
            ["Smtp__Port"] = relay.SmtpPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Smtp__From"] = "surveys@promoter.test",
            ["Smtp__TimeoutSeconds"] = "300",
            ["Webhooks__DispatchEnabled"] = "false",
            ["Distribution__RecurringEnabled"] = "false",
        });
        var output = new System.Text.StringBuilder();
        using (var process = new System.Diagnostics.Process { StartInfo = node })
        {
            process.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
            process.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
            process.Start();
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            try
            {
                var deadline = TimeProvider.System.GetUtcNow().AddSeconds(60);
                while (!(await relay.MessagesAsync()).Any(m => m.Hung) && TimeProvider.System.GetUtcNow() < deadline && !process.HasExited)
                {
                    await Task.Delay(100);
                }
            }
            finally
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }

            Assert.True((await relay.MessagesAsync()).Any(m => m.Hung), "the node never reached the relay: " + output);
        }

        await using var second = await DistributionHarness.StartAsync(provider, relay.Settings(),
            TimeProvider.System.GetUtcNow() + EmailDispatcher.Lease + TimeSpan.FromMinutes(1), database);
        var stuck = await second.Server.InWorkspaceAsync(workspaceId, sp => sp.GetRequiredService<PromoterDb>().Invitations.AsNoTracking().SingleAsync(i => i.Id == id));
        Assert.Equal(InvitationStatus.Scheduled, stuck.Status); // the kill left nothing recorded
        Assert.Equal(1, await second.Server.Services.GetRequiredService<EmailDispatcher>().DispatchDueAsync(CancellationToken.None));

        var received = (await relay.MessagesAsync()).Where(m => m.To.Contains("hang1-dee@example.org")).ToList();
        Assert.Equal(2, received.Count);
        Assert.Single(received.Select(m => m.MessageId).Distinct());
        var sent = await second.Server.InWorkspaceAsync(workspaceId, sp => sp.GetRequiredService<PromoterDb>().Invitations.AsNoTracking().SingleAsync(i => i.Id == id));
        Assert.Equal(InvitationStatus.Sent, sent.Status);
        var emails = await second.Server.InWorkspaceAsync(workspaceId, sp =>
            sp.GetRequiredService<PromoterDb>().OutboundEmails.AsNoTracking().Where(e => e.RelatedId == id && e.Kind == EmailKinds.Invitation).ToListAsync());
        Assert.Equal($"<{Assert.Single(emails).Id:N}@promoter.test>", received[0].MessageId);
    }

    /// <summary>A time zone where it is midday now, so quiet hours cannot hold the mail back during the test.</summary>
    private static string QuietZoneNow()
    {
        var hour = TimeProvider.System.GetUtcNow().Hour;
        var offset = ((12 - hour) % 24 + 24) % 24;
        offset = offset > 12 ? offset - 24 : offset;
        // Etc/GMT signs are inverted: Etc/GMT-3 is three hours ahead of UTC.
        return offset == 0 ? "Etc/UTC" : offset > 0 ? $"Etc/GMT-{offset}" : $"Etc/GMT+{-offset}";
    }
}
