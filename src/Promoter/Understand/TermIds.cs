using System.Collections.Concurrent;
using System.Data.Common;
using Promoter.Core.Text;
using Promoter.Data;

namespace Promoter.Understand;

/// <summary>
/// Ids of the workspaces' terms. A term's id never changes once committed, so ids are cached after the transaction
/// that created or read them commits (a rolled-back id is never remembered). Bounded: the cache is dropped when full.
/// </summary>
public sealed class TermIds
{
    public const int MaxCached = 500_000;

    private readonly ConcurrentDictionary<(Guid Workspace, string Language, string Key), long> _ids = new();

    public async Task<long> GetOrCreateAsync(DbConnection connection, DbTransaction transaction, DatabaseProvider provider, Guid workspaceId, string language,
        Term term, Dictionary<(string Language, string Key), long> batch, CancellationToken ct)
    {
        if (_ids.TryGetValue((workspaceId, language, term.Key), out var id) || batch.TryGetValue((language, term.Key), out id))
        {
            return id;
        }

        // DO UPDATE (not DO NOTHING) so RETURNING gives the id of an existing row too.
        await using var upsert = TextIndexer.Command(connection, transaction,
            "INSERT INTO terms (workspace_id, language, key, words) VALUES (@ws, @language, @key, @words) " +
            "ON CONFLICT (workspace_id, language, key) DO UPDATE SET words = excluded.words RETURNING id");
        upsert.Add("@ws", SqlValues.Id(provider, workspaceId));
        upsert.Add("@language", language);
        upsert.Add("@key", term.Key);
        upsert.Add("@words", term.Words);
        id = Convert.ToInt64(await upsert.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
        batch[(language, term.Key)] = id;
        return id;
    }

    /// <summary>Remembers ids read or created by a transaction that committed.</summary>
    public void Remember(Guid workspaceId, Dictionary<(string Language, string Key), long> batch)
    {
        if (_ids.Count + batch.Count > MaxCached)
        {
            _ids.Clear();
        }

        foreach (var ((language, key), id) in batch)
        {
            _ids[(workspaceId, language, key)] = id;
        }
    }

    /// <summary>Forgets a workspace's ids (its terms were deleted with it).</summary>
    public void Forget(Guid workspaceId)
    {
        foreach (var key in _ids.Keys.Where(k => k.Workspace == workspaceId))
        {
            _ids.TryRemove(key, out _);
        }
    }
}
