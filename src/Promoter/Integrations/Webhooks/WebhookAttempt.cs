using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Promoter.Data;

namespace Promoter.Integrations.Webhooks;

/// <summary>One HTTP request of a delivery: the delivery log a developer reads when a receiver misbehaves.</summary>
public sealed class WebhookAttempt : IWorkspaceOwned
{
    public const int StoredResponseChars = 1024;

    public long Id { get; set; }
    public Guid WorkspaceId { get; set; }
    public long DeliveryId { get; set; }
    public int Number { get; set; }
    public DateTime AttemptedAt { get; set; }
    public int DurationMs { get; set; }
    public int? StatusCode { get; set; }
    public bool Succeeded { get; set; }
    public string? Error { get; set; }

    /// <summary>The first kilobyte of what the receiver answered.</summary>
    public string? ResponseBody { get; set; }
}

internal sealed class WebhookAttemptConfiguration : IEntityTypeConfiguration<WebhookAttempt>
{
    public void Configure(EntityTypeBuilder<WebhookAttempt> b)
    {
        b.Property(a => a.Error).HasMaxLength(1000);
        b.Property(a => a.ResponseBody).HasMaxLength(WebhookAttempt.StoredResponseChars);
        b.HasIndex(a => new { a.DeliveryId, a.Number });
        b.HasOne<WebhookDelivery>().WithMany().HasForeignKey(a => a.DeliveryId).OnDelete(DeleteBehavior.Cascade);
    }
}
