using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Promoter.Data;

namespace Promoter.Integrations.Webhooks;

/// <summary>How a payload is shaped for an endpoint.</summary>
public enum WebhookFormat
{
    /// <summary>Promoter's envelope (<c>type</c>, <c>timestamp</c>, <c>version</c>, <c>data</c>).</summary>
    Standard,

    /// <summary>Delighted's <c>event_type</c> / <c>event_data</c> shape, for receivers written for Delighted.</summary>
    Delighted,
}

public enum WebhookDisabledReason
{
    /// <summary>Someone turned it off.</summary>
    Manual,

    /// <summary>The receiver answered 410 Gone: it asked for no more webhooks.</summary>
    Gone,

    /// <summary>Every attempt failed for <see cref="WebhookEndpoint.FailingPeriod"/>.</summary>
    Failing,
}

/// <summary>A URL in a workspace that receives the events it subscribes to, signed with its own secret.</summary>
public sealed class WebhookEndpoint : IWorkspaceOwned
{
    /// <summary>An endpoint whose every attempt failed for this long is disabled (Svix's rule).</summary>
    public static readonly TimeSpan FailingPeriod = TimeSpan.FromDays(5);

    /// <summary>After a rotation the old secret still signs for this long, so receivers can switch without losing events.</summary>
    public static readonly TimeSpan RotationOverlap = TimeSpan.FromHours(24);

    public Guid Id { get; set; }
    public Guid WorkspaceId { get; set; }
    public required string Url { get; set; }
    public string? Description { get; set; }
    public bool Enabled { get; set; } = true;
    public WebhookFormat Format { get; set; }

    /// <summary>Subscribed event types. Stored as ",a,b," so the database triggers can match a type with one string search.</summary>
    public List<string> EventTypes { get; set; } = [];

    /// <summary>The signing secret (<c>whsec_…</c>), encrypted with the Data Protection key ring.</summary>
    public required string Secret { get; set; }

    /// <summary>The secret before the last rotation, still used to sign until <see cref="PreviousSecretExpiresAt"/>.</summary>
    public string? PreviousSecret { get; set; }

    public DateTime? PreviousSecretExpiresAt { get; set; }
    public WebhookDisabledReason? DisabledReason { get; set; }
    public DateTime? DisabledAt { get; set; }

    /// <summary>Time of the first failed attempt since the last success; null while the endpoint answers.</summary>
    public DateTime? FailingSince { get; set; }

    public DateTime? LastSuccessAt { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }

    public bool Subscribes(string type) => EventTypes.Contains(type, StringComparer.Ordinal);
}

internal sealed class WebhookEndpointConfiguration : IEntityTypeConfiguration<WebhookEndpoint>
{
    public void Configure(EntityTypeBuilder<WebhookEndpoint> b)
    {
        b.Property(e => e.Url).HasMaxLength(WebhookUrls.MaxLength);
        b.Property(e => e.Description).HasMaxLength(500);
        b.Property(e => e.Format).HasConversion<string>().HasMaxLength(16);
        b.Property(e => e.EventTypes).HasMaxLength(500).HasConversion(
                v => "," + string.Join(",", v) + ",",
                v => v.Split(',', StringSplitOptions.RemoveEmptyEntries).ToList(),
                new ValueComparer<List<string>>((x, y) => x!.SequenceEqual(y!), v => v.Aggregate(0, (h, s) => HashCode.Combine(h, s.GetHashCode(StringComparison.Ordinal))), v => v.ToList()));
        b.Property(e => e.Secret).HasMaxLength(1000);
        b.Property(e => e.PreviousSecret).HasMaxLength(1000);
        b.Property(e => e.DisabledReason).HasConversion<string>().HasMaxLength(16);
        b.HasIndex(e => new { e.WorkspaceId, e.CreatedAt });
        b.HasOne<Accounts.Workspace>().WithMany().HasForeignKey(e => e.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
    }
}
