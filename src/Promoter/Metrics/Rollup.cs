using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Promoter.Data;

namespace Promoter.Metrics;

/// <summary>
/// Score counts of final responses per survey, workspace-local day and dimension value. NPS depends only on these
/// counts, so dashboards read a few thousand rollup rows instead of millions of responses. Database triggers on
/// <c>responses</c> keep them equal to a recount after any insert, update or delete, whatever code path wrote it.
/// </summary>
public sealed class Rollup : IWorkspaceOwned
{
    /// <summary>The dimension of every response: no filter.</summary>
    public const string Total = "*";
    public const string Channel = "channel";
    public const string Language = "language";
    public const string Touchpoint = "touchpoint";
    public const string Team = "team";

    /// <summary>
    /// A theme (value: the theme id, lower-case "D" form). Written by the text indexer from its snapshot of the response,
    /// not by the triggers: themes come from the comment's terms, which only the indexer computes.
    /// </summary>
    public const string Theme = "theme";

    /// <summary>
    /// Prefix of the monthly twin of every dimension ("m:*", "m:channel"…), whose <see cref="Day"/> is the first day
    /// of the local month: a two-year range reads ~24 monthly rows plus the partial months' days, not 730 days.
    /// </summary>
    public const string MonthlyPrefix = "m:";

    /// <summary>Prefix of a declared segment property, e.g. "p:region".</summary>
    public const string PropertyPrefix = "p:";

    public Guid WorkspaceId { get; set; }
    public Guid SurveyId { get; set; }
    public required string Dim { get; set; }
    public required string Value { get; set; }

    /// <summary>Days since 1970-01-01 in the workspace's time zone.</summary>
    public int Day { get; set; }

    public long D0 { get; set; }
    public long D1 { get; set; }
    public long D2 { get; set; }
    public long D3 { get; set; }
    public long D4 { get; set; }
    public long D5 { get; set; }
    public long D6 { get; set; }
    public long D7 { get; set; }
    public long D8 { get; set; }
    public long D9 { get; set; }
    public long D10 { get; set; }
}

internal sealed class RollupConfiguration : IEntityTypeConfiguration<Rollup>
{
    public void Configure(EntityTypeBuilder<Rollup> b)
    {
        b.HasKey(r => new { r.WorkspaceId, r.SurveyId, r.Dim, r.Value, r.Day });
        b.Property(r => r.Dim).HasMaxLength(80);
        b.Property(r => r.Value).HasMaxLength(256);
    }
}
