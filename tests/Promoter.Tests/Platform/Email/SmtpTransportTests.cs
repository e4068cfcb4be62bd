using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Promoter.Platform.Email;
using Promoter.Tests.Infrastructure;

namespace Promoter.Tests.Platform.Email;

/// <summary>The transport keeps connections for the next message and survives the relay closing them.</summary>
public sealed class SmtpTransportTests
{
    [Fact]
    public async Task A_kept_connection_closed_by_a_restarted_relay_costs_nothing_and_every_message_arrives_once()
    {
        var port = NodeTools.FreePort();
        var clock = new FakeTimeProvider(TimeProvider.System.GetUtcNow());
        using var transport = new SmtpEmailTransport(Options.Create(new SmtpOptions { Host = "127.0.0.1", Port = port, From = "surveys@promoter.test", MaxConnections = 2 }), clock);

        await using (var first = await MailDev.StartAsync(port))
        {
            for (var i = 0; i < 4; i++)
            {
                await transport.SendAsync(Message($"before-{i}"), CancellationToken.None);
            }

            Assert.Equal(4, (await first.WaitForAsync(4, TimeSpan.FromSeconds(10))).Count);
        }

        // The relay restarts on the same port: the kept connection is dead, which the next send finds out at once.
        await using var second = await MailDev.StartAsync(port);
        await transport.SendAsync(Message("after"), CancellationToken.None);
        var after = await second.WaitForAsync(1, TimeSpan.FromSeconds(10));
        Assert.Single(after);

        // A connection idle longer than it may be kept is not used again; the send still goes out once.
        clock.Advance(TimeSpan.FromMinutes(5));
        await transport.SendAsync(Message("later"), CancellationToken.None);
        Assert.Equal(2, (await second.WaitForAsync(2, TimeSpan.FromSeconds(10))).Count);

    }

    private static EmailMessage Message(string id) =>
        new($"<{id}@promoter.test>", "surveys@promoter.test", "Promoter", $"{id}@example.com", null, null,
            new EmailContent("How likely are you to recommend us?", "<p>0 … 10</p>", "0 … 10"));
}
