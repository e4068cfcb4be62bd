using System.Runtime.InteropServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Options;
using Promoter.Data;
using Promoter.Metrics;

namespace Promoter.Understand;

/// <summary>
/// Runs theme re-tagging jobs: after a theme is created or edited, every indexed response of the workspace gets its
/// themes again from its stored terms (no tokenising), <see cref="UnderstandOptions.RetagChunkSize"/> responses per transaction. A node claims the
/// job with a lease and renews it with each chunk; the chunk commits together with the job's cursor, so a crash redoes at
/// most that chunk, and a node whose lease was taken over finds out in the chunk's first statement and rolls back.
/// </summary>
public sealed class ThemeRetagger(PromoterDb db, IOptions<DatabaseOptions> database, IOptions<UnderstandOptions> options, TimeProvider clock)
{
    /// <summary>This process's name in leases.</summary>
    public static readonly string Node = $"{Environment.ProcessId}-{Guid.NewGuid():N}";

    private DatabaseProvider Provider => database.Value.Provider;

    /// <summary>Runs one chunk of the oldest job this node may hold; false when there is none.</summary>
    public async Task<bool> RunChunkAsync(WorkspaceContext workspace, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var until = now.AddSeconds(options.Value.LeaseSeconds);
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            var connection = db.Database.GetDbConnection();
            Guid jobId, workspaceId;
            await using (var find = TextIndexer.Command(connection, null,
                             "SELECT id, workspace_id FROM theme_jobs WHERE status IN ('Pending', 'Running') " +
                             "AND (lease_until IS NULL OR lease_until < @now OR lease_owner = @me) ORDER BY created_at LIMIT 1"))
            {
                find.Add("@now", SqlValues.Time(Provider, now));
                find.Add("@me", Node);
                await using var reader = await find.ExecuteReaderAsync(ct);
                if (!await reader.ReadAsync(ct))
                {
                    return false;
                }

                jobId = TextIndexer.ReadGuid(reader.GetValue(0));
                workspaceId = TextIndexer.ReadGuid(reader.GetValue(1));
            }

            await using var tx = await db.Database.BeginTransactionAsync(ct);
            await TextIndexer.LockAsync(db, Provider, ct);
            var transaction = tx.GetDbTransaction();
            long cursor;
            await using (var claim = TextIndexer.Command(connection, transaction,
                             "UPDATE theme_jobs SET status = 'Running', lease_owner = @me, lease_until = @until " +
                             "WHERE id = @id AND status IN ('Pending', 'Running') AND (lease_until IS NULL OR lease_until < @now OR lease_owner = @me) RETURNING cursor"))
            {
                claim.Add("@me", Node);
                claim.Add("@until", SqlValues.Time(Provider, until));
                claim.Add("@id", SqlValues.Id(Provider, jobId));
                claim.Add("@now", SqlValues.Time(Provider, now));
                if (await claim.ExecuteScalarAsync(ct) is not { } value || value is DBNull)
                {
                    // Another node took it (or it was superseded) since we looked.
                    return true;
                }

                cursor = Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture);
            }

            workspace.Enter(workspaceId);
            var ids = new List<long>();
            await using (var next = TextIndexer.Command(connection, transaction,
                             "SELECT response_id FROM indexed_responses WHERE workspace_id = @ws AND response_id > @cursor ORDER BY response_id LIMIT @n"))
            {
                next.Add("@ws", SqlValues.Id(Provider, workspaceId));
                next.Add("@cursor", cursor);
                next.Add("@n", options.Value.RetagChunkSize);
                await using var reader = await next.ExecuteReaderAsync(ct);
                while (await reader.ReadAsync(ct))
                {
                    ids.Add(reader.GetInt64(0));
                }
            }

            if (ids.Count == 0)
            {
                await using var done = TextIndexer.Command(connection, transaction,
                    "UPDATE theme_jobs SET status = 'Done', lease_owner = NULL, lease_until = NULL, finished_at = @now WHERE id = @id");
                done.Add("@now", SqlValues.Time(Provider, now));
                done.Add("@id", SqlValues.Id(Provider, jobId));
                await done.ExecuteNonQueryAsync(ct);
                await tx.CommitAsync(ct);
                return true;
            }

            await RetagAsync(connection, transaction, workspaceId, ids, ct);
            await using (var advance = TextIndexer.Command(connection, transaction,
                             "UPDATE theme_jobs SET cursor = @cursor, done = done + @n, chunks = chunks + 1 WHERE id = @id"))
            {
                advance.Add("@cursor", ids[^1]);
                advance.Add("@n", ids.Count);
                advance.Add("@id", SqlValues.Id(Provider, jobId));
                await advance.ExecuteNonQueryAsync(ct);
            }

            await tx.CommitAsync(ct);
            return true;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>Gives the responses the themes their stored terms give them now, adjusting the theme rollups by the difference.</summary>
    private async Task RetagAsync(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction transaction, Guid workspaceId, List<long> ids,
        CancellationToken ct)
    {
        var idList = string.Join(", ", ids);
        var themes = await ThemeIndex.ReadAsync(connection, transaction, Provider, workspaceId, ct);
        var calendar = await TextIndexer.ReadCalendarAsync(connection, transaction, Provider, workspaceId, ct);
        var snapshots = new Dictionary<long, (Guid Survey, short Score, DateTime At, string Language)>();
        await using (var read = TextIndexer.Command(connection, transaction,
                         $"SELECT response_id, survey_id, score, responded_at, language FROM indexed_responses WHERE response_id IN ({idList})"))
        {
            await using var reader = await read.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                snapshots[reader.GetInt64(0)] = (TextIndexer.ReadGuid(reader.GetValue(1)), Convert.ToInt16(reader.GetValue(2), System.Globalization.CultureInfo.InvariantCulture),
                    TextIndexer.ReadTime(reader.GetValue(3)), reader.GetString(4));
            }
        }

        var wanted = new Dictionary<long, HashSet<Guid>>();
        if (themes.Count > 0)
        {
            await using var read = TextIndexer.Command(connection, transaction,
                $"SELECT rt.response_id, t.language, t.key FROM response_terms rt JOIN terms t ON t.id = rt.term_id WHERE rt.response_id IN ({idList})");
            await using var reader = await read.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                var set = CollectionsMarshal.GetValueRefOrAddDefault(wanted, reader.GetInt64(0), out _) ??= [];
                themes.Match(reader.GetString(1), reader.GetString(2), set);
            }
        }

        var existing = new Dictionary<long, HashSet<Guid>>();
        await using (var read = TextIndexer.Command(connection, transaction, $"SELECT response_id, theme_id FROM response_themes WHERE response_id IN ({idList})"))
        {
            await using var reader = await read.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                (CollectionsMarshal.GetValueRefOrAddDefault(existing, reader.GetInt64(0), out _) ??= []).Add(TextIndexer.ReadGuid(reader.GetValue(1)));
            }
        }

        var rollups = new RollupAccumulator(workspaceId);
        var removed = new List<(long, Guid)>();
        var added = new List<ResponseTheme>();
        foreach (var (id, snapshot) in snapshots)
        {
            var before = existing.GetValueOrDefault(id) ?? [];
            var after = wanted.GetValueOrDefault(id) ?? [];
            var day = calendar.DayOf(snapshot.At);
            foreach (var theme in before.Except(after))
            {
                removed.Add((id, theme));
                rollups.Add(snapshot.Survey, day, snapshot.Score, [(Rollup.Theme, ThemeIndex.Value(theme))], -1);
            }

            foreach (var theme in after.Except(before))
            {
                added.Add(new ResponseTheme { ResponseId = id, ThemeId = theme });
                rollups.Add(snapshot.Survey, day, snapshot.Score, [(Rollup.Theme, ThemeIndex.Value(theme))], +1);
            }
        }

        if (removed.Count > 0)
        {
            await using var delete = TextIndexer.Command(connection, transaction, "DELETE FROM response_themes WHERE response_id = @r AND theme_id = @t");
            var r = delete.Add("@r", null);
            var t = delete.Add("@t", null);
            foreach (var (id, theme) in removed)
            {
                r.Value = id;
                t.Value = SqlValues.Id(Provider, theme);
                await delete.ExecuteNonQueryAsync(ct);
            }
        }

        await db.BulkInsertAsync(added, ct);
        await rollups.FlushAsync(connection, transaction, Provider, ct);
    }
}
