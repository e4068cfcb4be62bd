using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Promoter.Collect;

/// <summary>
/// The parts of the <c>responses</c> schema a bulk import sets aside inside its own transaction and creates again, from
/// their own stored DDL, before it commits. Other connections keep reading the last committed schema, and nobody else
/// can write meanwhile (the import holds the write lock), so nothing outside the import ever sees the table without
/// them; a rollback, a crash or Ctrl+C restores them with everything else.
/// </summary>
internal sealed class SqliteImportSchema(sqlite3 db)
{
    private readonly List<string> _restore = [];

    public int DeferredIndexes { get; private set; }

    /// <summary>
    /// The rollup and webhook triggers skip import rows anyway (the importer holds a rollup suspension and counts the
    /// rows itself), but evaluating their WHEN clause, and the statement journal any trigger forces on an INSERT, cost
    /// more per row than the insert itself.
    /// </summary>
    public void DropTriggers() => Drop("trigger", "");

    /// <summary>
    /// Sorting every key once (CREATE INDEX) is several times cheaper than keeping the non-unique indexes up to date row
    /// by row, most of all for keys that arrive in random order (contact, time). The partial unique indexes stay: import
    /// rows never enter them.
    /// </summary>
    public void DropIndexes() => DeferredIndexes = Drop("index", " AND sql NOT LIKE 'CREATE UNIQUE%'");

    public void Restore(CancellationToken ct)
    {
        foreach (var sql in _restore)
        {
            ct.ThrowIfCancellationRequested();
            Exec(sql);
        }

        _restore.Clear();
    }

    private int Drop(string type, string filter)
    {
        var names = new List<string>();
        var rc = raw.sqlite3_prepare_v2(db,
            $"SELECT name, sql FROM sqlite_master WHERE type = '{type}' AND tbl_name = 'responses' AND sql IS NOT NULL{filter} ORDER BY name",
            out var list);
        SqliteException.ThrowExceptionForRC(rc, db);
        using (list)
        {
            while (raw.sqlite3_step(list) == raw.SQLITE_ROW)
            {
                names.Add(raw.sqlite3_column_text(list, 0).utf8_to_string());
                _restore.Add(raw.sqlite3_column_text(list, 1).utf8_to_string());
            }
        }

        foreach (var name in names)
        {
            Exec($"DROP {type.ToUpperInvariant()} \"{name.Replace("\"", "\"\"", StringComparison.Ordinal)}\"");
        }

        return names.Count;
    }

    private void Exec(string sql) => SqliteException.ThrowExceptionForRC(raw.sqlite3_exec(db, sql), db);
}
