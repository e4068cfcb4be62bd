using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Promoter.Data;

namespace Promoter.Metrics;

/// <summary>A workspace's own benchmark (its industry association's figures, last year's result…), next to the built-in ones.</summary>
public sealed class Benchmark : IWorkspaceOwned
{
    public Guid Id { get; set; }
    public Guid WorkspaceId { get; set; }
    public required string Industry { get; set; }
    public string Segment { get; set; } = "all";
    public double? Low { get; set; }
    public double Average { get; set; }
    public double? High { get; set; }
    public required string Source { get; set; }
    public int? Year { get; set; }
    public DateTime CreatedAt { get; set; }
}

internal sealed class BenchmarkConfiguration : IEntityTypeConfiguration<Benchmark>
{
    public void Configure(EntityTypeBuilder<Benchmark> b)
    {
        b.Property(x => x.Industry).HasMaxLength(200);
        b.Property(x => x.Segment).HasMaxLength(16);
        b.Property(x => x.Source).HasMaxLength(500);
        b.HasIndex(x => x.WorkspaceId);
        b.HasOne<Accounts.Workspace>().WithMany().HasForeignKey(x => x.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
    }
}
