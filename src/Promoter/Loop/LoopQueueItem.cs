using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Promoter.Data;

namespace Promoter.Loop;

/// <summary>
/// "This response became final; see whether it needs a case or an alert." Written by a database trigger in the
/// transaction that stores or confirms the response (every write path, none forgotten; imports of history write none),
/// deleted by <see cref="LoopProcessor"/> in the transaction that opens the case and queues the alerts.
/// </summary>
public sealed class LoopQueueItem : IWorkspaceOwned
{
    public long Id { get; set; }
    public Guid WorkspaceId { get; set; }
    public long ResponseId { get; set; }
    public DateTime QueuedAt { get; set; }
}

internal sealed class LoopQueueItemConfiguration : IEntityTypeConfiguration<LoopQueueItem>
{
    public void Configure(EntityTypeBuilder<LoopQueueItem> b)
    {
        b.ToTable("loop_queue");
        b.HasOne<Collect.SurveyResponse>().WithMany().HasForeignKey(q => q.ResponseId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Accounts.Workspace>().WithMany().HasForeignKey(q => q.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
    }
}
