using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Promoter.Metrics;

/// <summary>
/// While a bulk import's transaction holds a row here, the rollup and webhook-event triggers skip its rows (history
/// is not news: no webhooks fire for it) and the importer adds the rollup
/// counts itself, aggregated in memory. Other transactions never see the uncommitted row, so their triggers keep firing.
/// </summary>
public sealed class RollupSuspension
{
    public required string Token { get; set; }
}

internal sealed class RollupSuspensionConfiguration : IEntityTypeConfiguration<RollupSuspension>
{
    public void Configure(EntityTypeBuilder<RollupSuspension> b)
    {
        b.ToTable("rollup_suspensions");
        b.HasKey(s => s.Token);
        b.Property(s => s.Token).HasMaxLength(64);
    }
}
