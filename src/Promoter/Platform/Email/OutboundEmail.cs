using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Promoter.Data;

namespace Promoter.Platform.Email;

public enum EmailStatus
{
    /// <summary>Waiting for its first or next attempt.</summary>
    Pending,

    /// <summary>The mail server accepted it (SMTP 250).</summary>
    Sent,

    /// <summary>Refused for good: a 5xx reply, or a message that cannot be built.</summary>
    Failed,

    /// <summary>Not delivered before <see cref="OutboundEmail.ExpiresAt"/>: a late survey invitation is stale.</summary>
    Expired,

    /// <summary>Not sent: the address unsubscribed or hard-bounced.</summary>
    Suppressed,

    /// <summary>Not sent: its kind decided at send time that it no longer applies (throttled, answered, cancelled).</summary>
    Cancelled,
}

/// <summary>
/// One email to one recipient, written in the same transaction as the change that causes it (the transactional
/// outbox) and sent by <see cref="EmailDispatcher"/>. Finished messages carry their subject and bodies; kinds with a
/// composer (survey invitations) are written at send time, so they reflect the state of things when they go out.
/// The <c>Message-ID</c> header is derived from <see cref="Id"/>: a resend after a crash is recognisable as the same mail.
/// </summary>
public sealed class OutboundEmail : IWorkspaceOwned
{
    public Guid Id { get; set; }
    public Guid WorkspaceId { get; set; }

    /// <summary>What the mail is for (<see cref="EmailKinds"/>); picks the composer and the suppression rules.</summary>
    public required string Kind { get; set; }

    /// <summary>Unique per workspace when set, so one cause (an invitation, a reminder) can never queue two mails.</summary>
    public string? DedupeKey { get; set; }

    public required string ToAddress { get; set; }
    public string? ToName { get; set; }
    public string? ReplyTo { get; set; }
    public string? Subject { get; set; }
    public string? HtmlBody { get; set; }
    public string? TextBody { get; set; }

    /// <summary>Extra headers of a finished message as a JSON object (composed kinds add theirs at send time).</summary>
    public string? Headers { get; set; }

    /// <summary>The row the composer reads: an invitation, a case.</summary>
    public Guid? RelatedId { get; set; }

    public EmailStatus Status { get; set; }
    public int Attempts { get; set; }
    public DateTime NextAttemptAt { get; set; }
    public DateTime ExpiresAt { get; set; }

    /// <summary>The dispatcher run holding this mail until <see cref="LeaseUntil"/>; after that another node may send it.</summary>
    public Guid? LeaseOwner { get; set; }

    public DateTime? LeaseUntil { get; set; }
    public DateTime? LastAttemptAt { get; set; }

    /// <summary>The SMTP reply code of the last attempt; null when no server answered.</summary>
    public int? LastReplyCode { get; set; }

    public string? LastError { get; set; }
    public DateTime? SentAt { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? CompletedAt { get; set; }
}

internal sealed class OutboundEmailConfiguration : IEntityTypeConfiguration<OutboundEmail>
{
    public void Configure(EntityTypeBuilder<OutboundEmail> b)
    {
        b.Property(e => e.Kind).HasMaxLength(32);
        b.Property(e => e.DedupeKey).HasMaxLength(128);
        b.Property(e => e.ToAddress).HasMaxLength(254);
        b.Property(e => e.ToName).HasMaxLength(256);
        b.Property(e => e.ReplyTo).HasMaxLength(254);
        b.Property(e => e.Subject).HasMaxLength(998);
        b.Property(e => e.Status).HasConversion<string>().HasMaxLength(16);
        b.Property(e => e.LastError).HasMaxLength(1000);
        b.Property(e => e.LeaseOwner).IsConcurrencyToken();
        // The claim query: due, pending rows in time order.
        b.HasIndex(e => new { e.Status, e.NextAttemptAt });
        b.HasIndex(e => new { e.WorkspaceId, e.DedupeKey }).IsUnique();
        b.HasIndex(e => new { e.WorkspaceId, e.RelatedId });
        b.HasOne<Accounts.Workspace>().WithMany().HasForeignKey(e => e.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
    }
}
