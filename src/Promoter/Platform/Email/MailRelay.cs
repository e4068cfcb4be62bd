using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Promoter.Data;

namespace Promoter.Platform.Email;

/// <summary>What every page that composes mail says about where it goes: the relay, or that there is none and mail waits.</summary>
public sealed record RelayState(bool Configured, string? Relay, int Waiting, string? LastError, int TtlHours);

/// <summary>
/// Whether mail can leave this server. Pages that compose mail (case replies, alert rules, invitations, digests) show
/// it, so nobody believes a message went out when it is only queued.
/// </summary>
public sealed class MailRelay(IOptions<SmtpOptions> smtp, IOptions<EmailOptions> email)
{
    public bool IsConfigured => smtp.Value.IsConfigured;

    /// <summary>"smtp.example.com:587", or null without a relay.</summary>
    public string? Relay => IsConfigured ? $"{smtp.Value.Host}:{smtp.Value.Port}" : null;

    /// <summary>The relay with this workspace's mail still waiting in the outbox and the last error it met.</summary>
    public async Task<RelayState> StateAsync(PromoterDb db, CancellationToken ct)
    {
        var waiting = db.OutboundEmails.AsNoTracking().Where(e => e.Status == EmailStatus.Pending);
        var count = await waiting.CountAsync(ct);
        var lastError = count == 0 ? null : await waiting.Where(e => e.LastError != null).OrderByDescending(e => e.LastAttemptAt)
            .Select(e => e.LastError).FirstOrDefaultAsync(ct);
        return new RelayState(IsConfigured, Relay, count, lastError, email.Value.TtlHours);
    }
}
