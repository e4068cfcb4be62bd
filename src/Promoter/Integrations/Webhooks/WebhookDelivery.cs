using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Promoter.Data;

namespace Promoter.Integrations.Webhooks;

public enum WebhookDeliveryStatus
{
    /// <summary>Waiting for its next attempt (or held while the endpoint is disabled).</summary>
    Pending,

    Succeeded,

    /// <summary>Gave up: the retry schedule ran out, the receiver answered 410, or the resource no longer exists.</summary>
    Failed,
}

/// <summary>One event on its way to one endpoint: the outbox row the dispatcher claims, sends and reschedules.</summary>
public sealed class WebhookDelivery : IWorkspaceOwned
{
    public long Id { get; set; }
    public Guid WorkspaceId { get; set; }
    public Guid EndpointId { get; set; }
    public long EventId { get; set; }
    public WebhookEvent? Event { get; set; }
    public WebhookDeliveryStatus Status { get; set; }
    public int Attempts { get; set; }
    public DateTime NextAttemptAt { get; set; }

    /// <summary>The dispatcher run holding this delivery, until <see cref="LeaseUntil"/>; another node takes over after that.</summary>
    public Guid? LeaseOwner { get; set; }

    public DateTime? LeaseUntil { get; set; }

    /// <summary>The exact bytes (UTF-8) sent, rendered on the first attempt, so every retry and replay is byte-identical.</summary>
    public string? Body { get; set; }

    public int? LastStatusCode { get; set; }
    public string? LastError { get; set; }
    public DateTime? LastAttemptAt { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? CompletedAt { get; set; }

    /// <summary>The delivery this one replays, when someone asked to send it again.</summary>
    public long? ReplayOf { get; set; }
}

internal sealed class WebhookDeliveryConfiguration : IEntityTypeConfiguration<WebhookDelivery>
{
    public void Configure(EntityTypeBuilder<WebhookDelivery> b)
    {
        b.Property(d => d.Status).HasConversion<string>().HasMaxLength(16);
        b.Property(d => d.LastError).HasMaxLength(1000);
        b.Property(d => d.LeaseOwner).IsConcurrencyToken();
        // The claim query: due, pending rows in time order.
        b.HasIndex(d => new { d.Status, d.NextAttemptAt });
        b.HasIndex(d => new { d.EndpointId, d.Id });
        b.HasIndex(d => d.EventId);
        b.HasOne(d => d.Event).WithMany().HasForeignKey(d => d.EventId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<WebhookEndpoint>().WithMany().HasForeignKey(d => d.EndpointId).OnDelete(DeleteBehavior.Cascade);
    }
}
