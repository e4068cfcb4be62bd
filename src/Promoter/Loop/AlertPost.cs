using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Promoter.Data;

namespace Promoter.Loop;

public enum AlertPostStatus
{
    Pending,
    Sent,
    Failed,
}

/// <summary>
/// An alert rule's POST to its URL (generic JSON or Slack's <c>{"text": …}</c>), written with the case it is about and
/// sent by <see cref="AlertPoster"/> through the webhooks' SSRF guard, with a few retries.
/// </summary>
public sealed class AlertPost : IWorkspaceOwned
{
    public const int MaxAttempts = 5;

    public Guid Id { get; set; }
    public Guid WorkspaceId { get; set; }
    public Guid RuleId { get; set; }

    /// <summary>The response it is about; null for a digest.</summary>
    public long? ResponseId { get; set; }

    public required string Url { get; set; }
    public required string Body { get; set; }
    public AlertPostStatus Status { get; set; }
    public int Attempts { get; set; }
    public DateTime NextAttemptAt { get; set; }
    public int? LastStatusCode { get; set; }
    public string? LastError { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? SentAt { get; set; }
}

internal sealed class AlertPostConfiguration : IEntityTypeConfiguration<AlertPost>
{
    public void Configure(EntityTypeBuilder<AlertPost> b)
    {
        b.ToTable("alert_posts");
        b.Property(p => p.Url).HasMaxLength(2000);
        b.Property(p => p.Body).HasMaxLength(64 * 1024);
        b.Property(p => p.Status).HasConversion<string>().HasMaxLength(16);
        b.Property(p => p.LastError).HasMaxLength(1000);
        b.HasIndex(p => new { p.Status, p.NextAttemptAt });
        b.HasIndex(p => new { p.RuleId, p.ResponseId }).IsUnique().HasFilter("response_id IS NOT NULL");
        b.HasOne<AlertRule>().WithMany().HasForeignKey(p => p.RuleId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Accounts.Workspace>().WithMany().HasForeignKey(p => p.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
    }
}
