using Microsoft.EntityFrameworkCore;
using Promoter.Data;
using Promoter.Platform.Email;
using Promoter.Tests.Infrastructure;

namespace Promoter.Tests.Platform.Email;

/// <summary>The outbox against real SMTP server processes: what arrives, and what happens when the relay misbehaves.</summary>
public sealed class EmailDeliveryTests
{
    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task A_queued_mail_arrives_with_both_parts_its_headers_and_a_message_id_from_its_row(DatabaseProvider provider)
    {
        await using var mail = await MailDev.StartAsync();
        await using var h = await MailHarness.StartAsync(provider, mail.Settings());
        await h.Server.InWorkspaceAsync(h.Workspace.Id, async sp =>
        {
            var db = sp.GetRequiredService<PromoterDb>();
            var workspace = await db.Workspaces.SingleAsync(w => w.Id == h.Workspace.Id);
            workspace.SenderName = "Acme – خدمة العملاء";
            workspace.ReplyToEmail = "care@acme.test";
            return await db.SaveChangesAsync();
        });
        var id = await h.QueueAsync("person@example.org", "كيف كانت تجربتك؟ ประสบการณ์", "<p dir=\"rtl\">مرحبا</p>", "مرحبا\nplain",
            new Dictionary<string, string> { ["List-Unsubscribe"] = "<https://promoter.test/u/abc>", ["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click" });

        Assert.Equal(1, await h.DispatchAsync());

        var message = Assert.Single(await mail.WaitForAsync(1, TimeSpan.FromSeconds(10)));
        Assert.Equal("كيف كانت تجربتك؟ ประสบการณ์", message.GetProperty("subject").GetString());
        Assert.Equal("<p dir=\"rtl\">مرحبا</p>", message.GetProperty("html").GetString());
        Assert.Equal("مرحبا\nplain", message.GetProperty("text").GetString()!.TrimEnd());
        Assert.Equal($"<{id:N}@promoter.test>", MailDev.Header(message, "Message-ID"));
        Assert.Equal("<https://promoter.test/u/abc>", MailDev.Header(message, "List-Unsubscribe"));
        Assert.Equal("List-Unsubscribe=One-Click", MailDev.Header(message, "List-Unsubscribe-Post"));
        Assert.StartsWith("multipart/alternative", MailDev.Header(message, "Content-Type"), StringComparison.Ordinal);
        var from = message.GetProperty("from")[0];
        Assert.Equal(("surveys@promoter.test", "Acme – خدمة العملاء"), (from.GetProperty("address").GetString(), from.GetProperty("name").GetString()));
        Assert.Contains("care@acme.test", MailDev.Header(message, "Reply-To"), StringComparison.Ordinal);

        var stored = await h.EmailAsync(id);
        Assert.Equal((EmailStatus.Sent, 1, h.Now), (stored.Status, stored.Attempts, stored.SentAt));
        Assert.Equal(0, await h.DispatchAsync());
        Assert.Single(await mail.MessagesAsync());
    }

    [Fact]
    public async Task Line_breaks_in_a_subject_or_sender_name_cannot_add_headers_or_recipients()
    {
        await using var mail = await MailDev.StartAsync();
        await using var h = await MailHarness.StartAsync(DatabaseProvider.Sqlite, mail.Settings());
        await h.Server.InWorkspaceAsync(h.Workspace.Id, async sp =>
        {
            var db = sp.GetRequiredService<PromoterDb>();
            (await db.Workspaces.SingleAsync(w => w.Id == h.Workspace.Id)).SenderName = "Acme\r\nBcc: thief@evil.test";
            return await db.SaveChangesAsync();
        });
        await h.QueueAsync("person@example.org", "Thanks\r\nBcc: thief@evil.test\r\nX-Injected: yes");

        await h.DispatchAsync();

        var message = Assert.Single(await mail.WaitForAsync(1, TimeSpan.FromSeconds(10)));
        Assert.Equal("Thanks  Bcc: thief@evil.test  X-Injected: yes", message.GetProperty("subject").GetString());
        Assert.Equal("", MailDev.Header(message, "X-Injected"));
        Assert.Equal("", MailDev.Header(message, "Bcc"));
        var envelope = message.GetProperty("envelope").GetProperty("to").EnumerateArray().Select(t => t.GetProperty("address").GetString()).ToList();
        Assert.Equal(["person@example.org"], envelope);
        Assert.DoesNotContain(await mail.MessagesAsync(), m => m.GetProperty("to").ToString().Contains("evil", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task Mail_queued_while_the_relay_is_down_is_kept_and_delivered_once_when_it_is_back(DatabaseProvider provider)
    {
        var port = NodeTools.FreePort();
        await using var h = await MailHarness.StartAsync(provider, new Dictionary<string, string?>
        {
            ["Smtp:Host"] = "127.0.0.1", ["Smtp:Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture), ["Smtp:From"] = "surveys@promoter.test",
        });
        var id = await h.QueueAsync("person@example.org");
        var queuedAt = h.Now;

        Assert.Equal(1, await h.DispatchAsync());
        var waiting = await h.EmailAsync(id);
        Assert.Equal((EmailStatus.Pending, 1, (int?)null), (waiting.Status, waiting.Attempts, waiting.LastReplyCode));
        Assert.StartsWith("Could not reach the mail server", waiting.LastError, StringComparison.Ordinal);
        Assert.InRange(waiting.NextAttemptAt, queuedAt.AddSeconds(48), queuedAt.AddSeconds(72)); // 1 min ± 20 %

        // Hours of outage: each retry fails and the mail waits, never dropped, never sent twice.
        for (var i = 0; i < 4; i++)
        {
            h.Clock.Advance(TimeSpan.FromHours(2.5));
            Assert.Equal(1, await h.DispatchAsync());
        }

        Assert.Equal((EmailStatus.Pending, 5), ((await h.EmailAsync(id)).Status, (await h.EmailAsync(id)).Attempts));
        await using var mail = await MailDev.StartAsync(port);
        h.Clock.Advance(TimeSpan.FromHours(7.5));
        Assert.Equal(1, await h.DispatchAsync());
        h.Clock.Advance(TimeSpan.FromHours(7.5));
        Assert.Equal(0, await h.DispatchAsync());

        var message = Assert.Single(await mail.WaitForAsync(1, TimeSpan.FromSeconds(10)));
        Assert.Equal($"<{id:N}@promoter.test>", MailDev.Header(message, "Message-ID"));
        Assert.Equal((EmailStatus.Sent, 6), ((await h.EmailAsync(id)).Status, (await h.EmailAsync(id)).Attempts));
    }

    [Fact]
    public async Task Mail_the_relay_never_takes_expires_after_its_time_to_live()
    {
        var port = NodeTools.FreePort();
        await using var h = await MailHarness.StartAsync(DatabaseProvider.Sqlite, new Dictionary<string, string?>
        {
            ["Smtp:Host"] = "127.0.0.1", ["Smtp:Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture), ["Smtp:From"] = "surveys@promoter.test",
        });
        var id = await h.QueueAsync("person@example.org");
        var queuedAt = h.Now;
        Assert.Equal(queuedAt.AddHours(72), (await h.EmailAsync(id)).ExpiresAt);

        while (h.Now < queuedAt.AddHours(80))
        {
            await h.DispatchAsync();
            h.Clock.Advance(TimeSpan.FromHours(1));
        }

        var expired = await h.EmailAsync(id);
        Assert.Equal(EmailStatus.Expired, expired.Status);
        Assert.Contains("Not delivered within 72 h", expired.LastError, StringComparison.Ordinal);
        Assert.True(expired.CompletedAt <= queuedAt.AddHours(72) + TimeSpan.FromHours(1));
    }

    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task A_4xx_reply_is_retried_a_5xx_is_not_and_a_bad_mailbox_is_never_mailed_again(DatabaseProvider provider)
    {
        await using var relay = await FaultSmtp.StartAsync();
        await using var h = await MailHarness.StartAsync(provider, relay.Settings());
        var greylisted = await h.QueueAsync("tempfail1-ann@example.org");
        var bounced = await h.QueueAsync("bounce-bo@example.org");
        var refused = await h.QueueAsync("policy-cy@example.org");

        Assert.Equal(3, await h.DispatchAsync());

        var first = await h.EmailAsync(greylisted);
        Assert.Equal((EmailStatus.Pending, 451), (first.Status, first.LastReplyCode));
        Assert.Contains("4.3.0", first.LastError, StringComparison.Ordinal);
        var bounce = await h.EmailAsync(bounced);
        Assert.Equal((EmailStatus.Failed, 550), (bounce.Status, bounce.LastReplyCode));
        var policy = await h.EmailAsync(refused);
        Assert.Equal((EmailStatus.Failed, 554), (policy.Status, policy.LastReplyCode));

        // Only the bad mailbox is suppressed; a policy refusal is our relay's business and goes to the audit log.
        var suppression = Assert.Single(await h.SuppressionsAsync());
        Assert.Equal(("bounce-bo@example.org", SuppressionReason.HardBounce), (suppression.EmailKey, suppression.Reason));
        Assert.Contains("5.1.1", suppression.Source, StringComparison.Ordinal);
        var audit = await h.Server.CreateApiClient(h.Workspace.ApiKey).GetStringAsync("/api/v1/audit");
        Assert.Contains("email.refused", audit, StringComparison.Ordinal);
        Assert.Contains("5.7.1", audit, StringComparison.Ordinal);

        h.Clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(1, await h.DispatchAsync());
        Assert.Equal((EmailStatus.Sent, 2), ((await h.EmailAsync(greylisted)).Status, (await h.EmailAsync(greylisted)).Attempts));
        Assert.Equal(2, await relay.AttemptsForAsync("tempfail1-ann@example.org"));
        Assert.Equal(1, await relay.AttemptsForAsync("bounce-bo@example.org"));
        Assert.Equal(1, await relay.AttemptsForAsync("policy-cy@example.org"));

        // A later mail to the bounced address is closed without talking to the relay, whatever its kind.
        var again = await h.QueueAsync("Bounce-Bo@example.org", kind: EmailKinds.Invitation);
        Assert.Equal(1, await h.DispatchAsync());
        Assert.Equal(EmailStatus.Suppressed, (await h.EmailAsync(again)).Status);
        Assert.Equal(1, await relay.AttemptsForAsync("bounce-bo@example.org"));
    }

    [Fact]
    public async Task Unsubscribing_stops_survey_mail_but_not_a_reply_to_the_persons_own_feedback()
    {
        await using var relay = await FaultSmtp.StartAsync();
        await using var h = await MailHarness.StartAsync(DatabaseProvider.Sqlite, relay.Settings());
        await h.Server.InWorkspaceAsync(h.Workspace.Id, async sp =>
        {
            var db = sp.GetRequiredService<PromoterDb>();
            db.EmailSuppressions.Add(new EmailSuppression { EmailKey = "quiet@example.org", Reason = SuppressionReason.Unsubscribed, Source = "link", CreatedAt = h.Now });
            return await db.SaveChangesAsync();
        });
        var invitation = await h.QueueAsync("Quiet@Example.org", kind: EmailKinds.Invitation);
        var reply = await h.QueueAsync("quiet@example.org", kind: EmailKinds.CaseReply);

        await h.DispatchAsync();

        Assert.Equal(EmailStatus.Suppressed, (await h.EmailAsync(invitation)).Status);
        Assert.Contains("unsubscribed", (await h.EmailAsync(invitation)).LastError, StringComparison.Ordinal);
        Assert.Equal(EmailStatus.Sent, (await h.EmailAsync(reply)).Status);
        Assert.Single(await relay.MessagesAsync());
    }

    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task Two_nodes_draining_one_outbox_send_each_mail_once(DatabaseProvider provider)
    {
        await using var mail = await MailDev.StartAsync();
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var a = await MailHarness.StartAsync(provider, mail.Settings(), database);
        await using var b = await MailHarness.StartAsync(provider, mail.Settings(), database);
        var ids = new List<Guid>();
        for (var i = 0; i < 120; i++)
        {
            ids.Add(await a.QueueAsync($"person{i}@example.org", $"Mail {i}"));
        }

        var handled = await Task.WhenAll(a.DispatchAsync(), b.DispatchAsync(), a.DispatchAsync(), b.DispatchAsync());

        Assert.Equal(120, handled.Sum());
        var messages = await mail.WaitForAsync(120, TimeSpan.FromSeconds(30));
        Assert.Equal(120, messages.Count);
        Assert.Equal(120, messages.Select(m => MailDev.Header(m, "Message-ID")).Distinct().Count());
    }

    [Fact]
    public async Task The_worker_sends_new_mail_at_once_without_waiting_for_its_poll()
    {
        await using var mail = await MailDev.StartAsync();
        var settings = new Dictionary<string, string?>(mail.Settings()) { ["Email:PollIntervalSeconds"] = "300" };
        await using var server = await PromoterTestServer.StartAsync(DatabaseProvider.Sqlite, new PromoterTestServer.Options { Settings = settings });
        var workspace = await server.CreateWorkspaceAsync("Worker");
        await Task.Delay(500); // the worker's first round has run and it now waits for a signal or five minutes

        var started = TimeProvider.System.GetUtcNow();
        await server.InWorkspaceAsync(workspace.Id, async sp =>
        {
            sp.GetRequiredService<EmailOutbox>().Enqueue(EmailKinds.Alert, "lead@example.org", new EmailContent("Detractor", "<p>7</p>", "7"));
            return await sp.GetRequiredService<PromoterDb>().SaveChangesAsync();
        });

        Assert.Single(await mail.WaitForAsync(1, TimeSpan.FromSeconds(5)));
        Assert.True(TimeProvider.System.GetUtcNow() - started < TimeSpan.FromSeconds(5));
    }

    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task A_node_killed_while_the_relay_holds_the_message_leaves_it_sent_again_once_with_the_same_message_id(DatabaseProvider provider)
    {
        await using var relay = await FaultSmtp.StartAsync();
        await using var database = await TestDatabase.CreateAsync(provider);
        Guid id;
        PromoterTestServer.SeededWorkspace workspace;
        // Queued at the real time: the real node below runs on the real clock, and the mail must still be fresh for it.
        await using (var first = await MailHarness.StartAsync(provider, relay.Settings(), database, TimeProvider.System.GetUtcNow()))
        {
            workspace = first.Workspace;
            id = await first.QueueAsync("hang1-dee@example.org", "Your reply");
        }

        // A real node (the promoter executable) claims the mail and sends it; the relay takes the data but stalls
        // before its 250, and the node is killed (SIGKILL) while it waits.
        var node = PromoterProcess.StartInfo(["serve", "--urls", "http://127.0.0.1:0"], environment: new Dictionary<string, string>
        {
            ["Database__Provider"] = provider.ToString(),
            ["Database__ConnectionString"] = database.ConnectionString,
            ["Smtp__Host"] = "127.0.0.1",
            ["Smtp__Port"] = relay.SmtpPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Smtp__From"] = "surveys@promoter.test",
            ["Smtp__TimeoutSeconds"] = "300",
            ["Webhooks__DispatchEnabled"] = "false",
        });
        var output = new System.Text.StringBuilder();
        using (var process = new System.Diagnostics.Process { StartInfo = node })
        {
            // The node logs to its console; drain it, or a full pipe would stall the node before it sends anything.
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

        // Another node, after the dead node's lease ran out, sends it again.
        await using var second = await MailHarness.StartAsync(provider, relay.Settings(), database, TimeProvider.System.GetUtcNow() + EmailDispatcher.Lease + TimeSpan.FromMinutes(1));
        var stuck = await second.Server.InWorkspaceAsync(workspace.Id, sp => sp.GetRequiredService<PromoterDb>().OutboundEmails.AsNoTracking().SingleAsync(e => e.Id == id));
        Assert.Equal((EmailStatus.Pending, 0), (stuck.Status, stuck.Attempts)); // the kill left nothing recorded but the lease
        Assert.NotNull(stuck.LeaseOwner);
        Assert.Equal(1, await second.DispatchAsync());
        Assert.Equal(0, await second.DispatchAsync());

        var received = (await relay.MessagesAsync()).Where(m => m.To.Contains("hang1-dee@example.org")).ToList();
        Assert.Equal(2, received.Count);
        Assert.All(received, m => Assert.Equal($"<{id:N}@promoter.test>", m.MessageId));
        var sent = await second.Server.InWorkspaceAsync(workspace.Id, sp => sp.GetRequiredService<PromoterDb>().OutboundEmails.AsNoTracking().SingleAsync(e => e.Id == id));
        Assert.Equal(EmailStatus.Sent, sent.Status);
    }
}
