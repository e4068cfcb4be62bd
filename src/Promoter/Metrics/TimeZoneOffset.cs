using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Promoter.Data;

namespace Promoter.Metrics;

/// <summary>
/// The workspace time zone's UTC offset from <see cref="FromUnix"/> until the next row: its daylight-saving history
/// as data, so the rollup triggers can bucket days in local time exactly (half-hour zones included).
/// </summary>
public sealed class TimeZoneOffset : IWorkspaceOwned
{
    public Guid WorkspaceId { get; set; }
    public long FromUnix { get; set; }
    public int OffsetSeconds { get; set; }
}

internal sealed class TimeZoneOffsetConfiguration : IEntityTypeConfiguration<TimeZoneOffset>
{
    public void Configure(EntityTypeBuilder<TimeZoneOffset> b)
    {
        b.ToTable("tz_offsets");
        b.HasKey(o => new { o.WorkspaceId, o.FromUnix });
    }
}
