using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Promoter.Data;

namespace Promoter.Distribution.Recurring;

/// <summary>
/// One contact's place in a recurring send: when they are due next and which round that is. Durable, so a restart
/// or another node continues where the last run stopped, and a round is claimed by moving <see cref="NextDueAt"/>.
/// </summary>
public sealed class RecurringEnrollment : IWorkspaceOwned
{
    public Guid SendId { get; set; }
    public Guid ContactId { get; set; }
    public Guid WorkspaceId { get; set; }

    /// <summary>The contact's ordinal in the send; it picks their slot in the cycle (see <c>RecurringSlots</c>).</summary>
    public int Sequence { get; set; }

    /// <summary>The round the contact is invited to next (0 for the first).</summary>
    public int Occurrence { get; set; }

    public DateTime NextDueAt { get; set; }
    public DateTime CreatedAt { get; set; }
}

internal sealed class RecurringEnrollmentConfiguration : IEntityTypeConfiguration<RecurringEnrollment>
{
    public void Configure(EntityTypeBuilder<RecurringEnrollment> b)
    {
        b.HasKey(e => new { e.SendId, e.ContactId });
        b.HasIndex(e => e.NextDueAt);
        b.HasIndex(e => e.ContactId);
        b.HasOne<Sending.Send>().WithMany().HasForeignKey(e => e.SendId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Contact>().WithMany().HasForeignKey(e => e.ContactId).OnDelete(DeleteBehavior.Cascade);
    }
}
