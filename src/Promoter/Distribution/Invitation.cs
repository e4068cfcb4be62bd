using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Promoter.Data;

namespace Promoter.Distribution;

public enum InvitationStatus
{
    Scheduled,
    Sent,
    Opened,
    Clicked,
    Responded,
    Throttled,
    Suppressed,
    Bounced,
    Expired,
    Cancelled,
}

/// <summary>
/// One request to one contact to answer one survey. Its <see cref="Token"/> (≥128 random bits) is the personal
/// link <c>/r/{token}</c>; a GET never consumes it.
/// </summary>
public sealed class Invitation : IWorkspaceOwned
{
    public Guid Id { get; set; }
    public Guid WorkspaceId { get; set; }
    public Guid SurveyId { get; set; }
    public Guid ContactId { get; set; }

    /// <summary>The batch or recurring send this invitation belongs to; null for a touchpoint trigger through the API.</summary>
    public Guid? SendId { get; set; }

    /// <summary>Which round of a recurring send (0 for everything else): one invitation per (send, contact, occurrence).</summary>
    public int Occurrence { get; set; }

    public required string Token { get; set; }

    /// <summary>The opaque id in the unsubscribe link and <c>List-Unsubscribe</c> header; not a survey credential.</summary>
    public string? UnsubscribeToken { get; set; }

    /// <summary>Why the invitation ended as it did when that is not obvious (throttled by which send, the relay's refusal).</summary>
    public string? StatusReason { get; set; }
    public InvitationStatus Status { get; set; }
    public string Channel { get; set; } = "email";
    public string? Language { get; set; }

    /// <summary>Snapshot of contact and trigger properties (order id, product, team member, touchpoint) as JSON.</summary>
    public string Properties { get; set; } = "{}";

    public string? Touchpoint { get; set; }
    public string? TeamMember { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime ScheduledAt { get; set; }

    /// <summary>When the mail server accepted the message; link hits right after it are likely scanners.</summary>
    public DateTime? SentAt { get; set; }

    public DateTime? OpenedAt { get; set; }
    public DateTime? ClickedAt { get; set; }
    public DateTime? RespondedAt { get; set; }
    public DateTime? ReminderSentAt { get; set; }
    public DateTime? ExpiresAt { get; set; }
}

internal sealed class InvitationConfiguration : IEntityTypeConfiguration<Invitation>
{
    public void Configure(EntityTypeBuilder<Invitation> b)
    {
        b.Property(i => i.Token).HasMaxLength(64);
        b.Property(i => i.Status).HasConversion<string>().HasMaxLength(16);
        b.Property(i => i.Channel).HasMaxLength(16);
        b.Property(i => i.Language).HasMaxLength(16);
        b.Property(i => i.Touchpoint).HasMaxLength(256);
        b.Property(i => i.TeamMember).HasMaxLength(256);
        b.Property(i => i.UnsubscribeToken).HasMaxLength(64);
        b.Property(i => i.StatusReason).HasMaxLength(1000);
        b.HasIndex(i => i.UnsubscribeToken).IsUnique();
        b.HasIndex(i => new { i.SendId, i.ContactId, i.Occurrence }).IsUnique().HasFilter("send_id IS NOT NULL");
        b.HasIndex(i => i.Token).IsUnique();
        b.HasIndex(i => new { i.WorkspaceId, i.ContactId, i.CreatedAt });
        b.HasIndex(i => new { i.Status, i.ScheduledAt });
        b.HasOne<Surveys.Survey>().WithMany().HasForeignKey(i => i.SurveyId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Contact>().WithMany().HasForeignKey(i => i.ContactId).OnDelete(DeleteBehavior.Cascade);
    }
}
