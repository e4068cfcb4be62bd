using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Promoter.Data;

namespace Promoter.Integrations.Webhooks;

/// <summary>
/// Something that happened in a workspace, written in the same transaction as the change itself: by database
/// triggers for responses, by <see cref="WebhookEvents.Add"/> for everything else. A trigger on this table creates one
/// <see cref="WebhookDelivery"/> per enabled endpoint subscribed to the type, in that same transaction.
/// </summary>
public sealed class WebhookEvent : IWorkspaceOwned
{
    /// <summary>Increases with every event; for one resource it orders the changes (each takes the resource's row lock).</summary>
    public long Id { get; set; }

    public Guid WorkspaceId { get; set; }

    /// <summary>The <c>webhook-id</c> every delivery of this event carries: <c>msg_</c> and 32 random hex digits.</summary>
    public required string MessageId { get; set; }

    public required string Type { get; set; }

    /// <summary>"response", "contact", "case": the part of <see cref="Type"/> before the dot.</summary>
    public required string ResourceType { get; set; }

    public required string ResourceId { get; set; }

    /// <summary>The resource's own revision when it changed, if it keeps one.</summary>
    public int? Revision { get; set; }

    /// <summary>
    /// The event's data as JSON when the emitting feature supplied it; null for trigger-written events, whose data
    /// the dispatcher reads from the resource when it first sends them.
    /// </summary>
    public string? Payload { get; set; }

    public DateTime OccurredAt { get; set; }
}

internal sealed class WebhookEventConfiguration : IEntityTypeConfiguration<WebhookEvent>
{
    public void Configure(EntityTypeBuilder<WebhookEvent> b)
    {
        b.Property(e => e.MessageId).HasMaxLength(40);
        b.Property(e => e.Type).HasMaxLength(64);
        b.Property(e => e.ResourceType).HasMaxLength(32);
        b.Property(e => e.ResourceId).HasMaxLength(64);
        b.HasIndex(e => e.MessageId).IsUnique();
        b.HasIndex(e => new { e.WorkspaceId, e.ResourceType, e.ResourceId });
        b.HasIndex(e => e.OccurredAt);
        b.HasOne<Accounts.Workspace>().WithMany().HasForeignKey(e => e.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
    }
}
