using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Options;
using Promoter.Collect;
using Promoter.Data;

namespace Promoter.Metrics;

/// <summary>
/// Rebuilding rollups from raw responses: after the workspace time zone changes (days move) or the declared
/// segments change (dimensions appear or go). Runs in one transaction that keeps writers out meanwhile.
/// </summary>
public sealed class RollupMaintenance(PromoterDb db, IOptions<DatabaseOptions> options)
{
    public static List<TimeZoneOffset> OffsetRows(Guid workspaceId, TimeZoneInfo zone) =>
        WorkspaceCalendar.Transitions(zone).Select(t => new TimeZoneOffset { WorkspaceId = workspaceId, FromUnix = t.FromUnix, OffsetSeconds = t.OffsetSeconds }).ToList();

    public async Task<WorkspaceCalendar> CalendarAsync(CancellationToken ct) =>
        new((await db.TimeZoneOffsets.AsNoTracking().OrderBy(o => o.FromUnix).Select(o => new { o.FromUnix, o.OffsetSeconds }).ToListAsync(ct))
            .Select(o => (o.FromUnix, o.OffsetSeconds)).ToList());

    /// <summary>Stores the new zone's offset history and recounts every rollup in local days of that zone.</summary>
    public async Task ChangeTimeZoneAsync(TimeZoneInfo zone, CancellationToken ct)
    {
        var workspaceId = db.Workspace.RequiredWorkspaceId;
        await using var tx = await BeginExclusiveAsync(ct);
        await db.TimeZoneOffsets.ExecuteDeleteAsync(ct);
        Forget<TimeZoneOffset>();
        db.TimeZoneOffsets.AddRange(OffsetRows(workspaceId, zone));
        await db.SaveChangesAsync(ct);
        await RecountAsync(ct);
        await RecountTermsAsync(ct);
        await tx.CommitAsync(ct);
    }

    /// <summary>Declares the segment properties and recounts, in one transaction.</summary>
    public async Task ReplaceSegmentsAsync(IReadOnlyCollection<string> keys, DateTime now, CancellationToken ct)
    {
        await using var tx = await BeginExclusiveAsync(ct);
        await db.SegmentKeys.ExecuteDeleteAsync(ct);
        Forget<SegmentKey>();
        db.SegmentKeys.AddRange(keys.Select(k => new SegmentKey { Key = k, CreatedAt = now }));
        await db.SaveChangesAsync(ct);
        await RecountAsync(ct);
        await tx.CommitAsync(ct);
    }

    // Rows deleted in bulk above may still be tracked from earlier in this scope (e.g. a new workspace's UTC offsets).
    private void Forget<T>() where T : class
    {
        foreach (var entry in db.ChangeTracker.Entries<T>().ToList())
        {
            entry.State = EntityState.Detached;
        }
    }

    public async Task RebuildAsync(CancellationToken ct)
    {
        await using var tx = await BeginExclusiveAsync(ct);
        await RecountAsync(ct);
        await tx.CommitAsync(ct);
    }

    private async Task<IDbContextTransaction> BeginExclusiveAsync(CancellationToken ct)
    {
        var tx = await db.Database.BeginTransactionAsync(ct);
        if (options.Value.Provider == DatabaseProvider.Postgres)
        {
            // Writers wait until the recount commits, so no response is counted twice or missed.
            await db.Database.ExecuteSqlRawAsync("LOCK TABLE responses IN SHARE MODE", ct);
        }

        // The text indexer writes theme rollups and term counts: it waits too.
        await Understand.TextIndexer.LockAsync(db, options.Value.Provider, ct);

        return tx;
    }

    private async Task RecountAsync(CancellationToken ct)
    {
        var workspaceId = db.Workspace.RequiredWorkspaceId;
        var calendar = await CalendarAsync(ct);
        var segments = await db.SegmentKeys.AsNoTracking().Select(s => s.Key).ToListAsync(ct);
        var accumulator = new RollupAccumulator(workspaceId);
        await foreach (var r in db.Responses.AsNoTracking().Where(r => r.Status == ResponseStatus.Final)
                           .Select(r => new { r.SurveyId, r.Score, r.Channel, r.Language, r.Touchpoint, r.TeamMember, r.Properties, r.RespondedAt })
                           .AsAsyncEnumerable().WithCancellation(ct))
        {
            accumulator.Add(r.SurveyId, calendar.DayOf(r.RespondedAt), r.Score,
                RollupKeys.For(r.Channel, r.Language, r.Touchpoint, r.TeamMember, r.Properties, segments));
        }

        // Themes count from the text indexer's snapshot of each response (what it will subtract when the response changes).
        await foreach (var t in (from rt in db.ResponseThemes
                                 join ir in db.IndexedResponses on rt.ResponseId equals ir.ResponseId
                                 select new { ir.SurveyId, ir.Score, ir.RespondedAt, rt.ThemeId }).AsNoTracking().AsAsyncEnumerable().WithCancellation(ct))
        {
            accumulator.Add(t.SurveyId, calendar.DayOf(t.RespondedAt), t.Score, [(Rollup.Theme, Understand.ThemeIndex.Value(t.ThemeId))]);
        }

        await db.Rollups.ExecuteDeleteAsync(ct);
        var connection = db.Database.GetDbConnection();
        await accumulator.FlushAsync(connection, db.Database.CurrentTransaction!.GetDbTransaction(), options.Value.Provider, ct);
    }

    /// <summary>Term counts are kept per local day too: a new time zone moves them like the score rollups.</summary>
    private async Task RecountTermsAsync(CancellationToken ct)
    {
        var workspaceId = db.Workspace.RequiredWorkspaceId;
        var calendar = await CalendarAsync(ct);
        var counts = new Understand.TermCounts(workspaceId, calendar);
        await foreach (var t in (from rt in db.ResponseTerms
                                 join ir in db.IndexedResponses on rt.ResponseId equals ir.ResponseId
                                 select new { ir.SurveyId, ir.Score, ir.RespondedAt, ir.Language, rt.TermId }).AsNoTracking().AsAsyncEnumerable().WithCancellation(ct))
        {
            counts.Add(t.SurveyId, t.RespondedAt, t.TermId, t.Language, Core.NpsCategories.Of(t.Score), +1);
        }

        // Every month's copy in any node's TermCountCache is stale now: bump the months that exist and those the responses move to.
        await foreach (var r in db.IndexedResponses.AsNoTracking().Select(r => new { r.SurveyId, r.RespondedAt }).AsAsyncEnumerable().WithCancellation(ct))
        {
            counts.Touch(r.SurveyId, r.RespondedAt);
        }

        await db.TermMonths.ExecuteUpdateAsync(m => m.SetProperty(x => x.Version, x => x.Version + 1), ct);
        await db.TermRollups.ExecuteDeleteAsync(ct);
        await counts.FlushAsync(db.Database.GetDbConnection(), db.Database.CurrentTransaction!.GetDbTransaction(), options.Value.Provider, ct);
    }
}
