using System.Data.Common;
using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using Promoter.Data;
using SQLitePCL;

namespace Promoter.Collect;

/// <summary>
/// SQLite: statements prepared once on the import's connection and driven through the native API, binding values by
/// position. ADO.NET re-resolves every parameter by name on each execution, which costs more than SQLite's own insert.
/// Runs inside the transaction the base class began on the same connection.
/// </summary>
internal sealed class SqliteSink : ImportSink
{
    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _insert;
    private readonly sqlite3_stmt _contact;
    private readonly sqlite3_stmt _findContact;
    private readonly sqlite3_stmt _fillContact;
    private readonly string _survey;
    private readonly string _now;
    private readonly List<string> _deferredIndexes;
    private byte[] _utf8 = new byte[4096];

    /// <summary>Below this many stored responses, the responses indexes are rebuilt after the rows rather than kept up to date row by row.</summary>
    internal const int DeferIndexesBelow = 50_000;

    public SqliteSink(SqliteConnection connection, DbTransaction transaction, ImportTarget target) : base(connection, transaction, target)
    {
        _db = connection.Handle!;
        _deferredIndexes = DeferIndexes();
        _survey = (string)SqlValues.Id(DatabaseProvider.Sqlite, target.SurveyId);
        _now = (string)Now;
        _insert = Prepare(
            "INSERT INTO responses (workspace_id, survey_id, contact_id, score, comment, language, channel, status, implicitly_confirmed, " +
            "properties, team_member, touchpoint, responded_at, created_at, updated_at, revision) " +
            "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'Final', 0, ?8, ?9, ?10, ?11, ?12, ?12, 1)");
        // Look up, then insert or fill gaps: the transaction holds SQLite's write lock, so nobody can add the same email
        // in between, and this is several times faster than INSERT … ON CONFLICT DO UPDATE … RETURNING.
        _contact = Prepare(ContactColumns + "(?1, ?2, ?3, ?4, ?5, ?6, '{}', ?7, ?7)");
        _findContact = Prepare("SELECT id, properties FROM contacts WHERE workspace_id = ?1 AND email_key = ?2");
        _fillContact = Prepare("UPDATE contacts SET name = COALESCE(name, ?2), locale = COALESCE(locale, ?3), updated_at = ?4 WHERE id = ?1");

        // sqlite3_reset keeps bindings: the values every row shares are bound once.
        Text(_insert, 1, (string)Workspace);
        Text(_insert, 2, _survey);
        Text(_insert, 12, _now);
        Text(_contact, 2, (string)Workspace);
        Text(_contact, 7, _now);
        Text(_findContact, 1, (string)Workspace);
        Text(_fillContact, 4, _now);
    }

    protected override Task WriteRowsAsync(RowBatch batch, CancellationToken ct)
    {
        var s = _insert;
        for (var i = 0; i < batch.Count; i++)
        {
            var row = batch.Rows[i];
            Text(s, 3, row.ContactDbId as string);
            raw.sqlite3_bind_int(s, 4, row.Score);
            Text(s, 5, row.Comment);
            Text(s, 6, row.Language);
            Text(s, 7, row.Channel);
            Text(s, 8, row.Properties);
            Text(s, 9, row.TeamMember);
            Text(s, 10, row.Touchpoint);
            Time(s, 11, row.RespondedAt);
            Step(s);
        }

        return Task.CompletedTask;
    }

    protected override Task UpsertContactsAsync(List<ImportRow> rows, int start, int count, CancellationToken ct)
    {
        for (var r = start; r < start + count; r++)
        {
            var row = rows[r];
            var find = _findContact;
            Text(find, 2, row.EmailKey);
            var rc = raw.sqlite3_step(find);
            if (rc == raw.SQLITE_ROW)
            {
                var id = raw.sqlite3_column_text(find, 0).utf8_to_string();
                var properties = raw.sqlite3_column_text(find, 1).utf8_to_string();
                raw.sqlite3_reset(find);
                if (row.Name is not null || row.Locale is not null)
                {
                    Text(_fillContact, 1, id);
                    Text(_fillContact, 2, row.Name);
                    Text(_fillContact, 3, row.Locale);
                    Step(_fillContact);
                }

                Remember(row.EmailKey!, id, properties);
                continue;
            }

            if (rc != raw.SQLITE_DONE)
            {
                Fail(find, rc);
            }

            raw.sqlite3_reset(find);
            var newId = (string)SqlValues.Id(DatabaseProvider.Sqlite, Guid.CreateVersion7());
            var insert = _contact;
            Text(insert, 1, newId);
            Text(insert, 3, row.Email);
            Text(insert, 4, row.EmailKey);
            Text(insert, 5, row.Name);
            Text(insert, 6, row.Locale);
            Step(insert);
            Remember(row.EmailKey!, newId, "{}");
        }

        return Task.CompletedTask;
    }

    /// <summary>
    /// A first import (a nearly empty responses table) drops the non-unique responses indexes inside the transaction and
    /// creates them again from their own DDL before commit: sorting a million keys once is far cheaper than a million
    /// random-order B-tree inserts. Other connections keep reading the old snapshot, indexes included, and nobody else
    /// can write meanwhile; a rollback restores the indexes with everything else. The partial unique indexes stay (import
    /// rows never enter them).
    /// </summary>
    private List<string> DeferIndexes()
    {
        var deferred = new List<string>();
        if (Scalar("SELECT COUNT(*) FROM (SELECT 1 FROM responses LIMIT " + DeferIndexesBelow.ToString(CultureInfo.InvariantCulture) + ")") >= DeferIndexesBelow)
        {
            return deferred;
        }

        var names = new List<string>();
        var rc = raw.sqlite3_prepare_v2(_db,
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'responses' AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%'",
            out var list);
        SqliteException.ThrowExceptionForRC(rc, _db);
        using (list)
        {
            while (raw.sqlite3_step(list) == raw.SQLITE_ROW)
            {
                names.Add(raw.sqlite3_column_text(list, 0).utf8_to_string());
                deferred.Add(raw.sqlite3_column_text(list, 1).utf8_to_string());
            }
        }

        foreach (var name in names)
        {
            Exec($"DROP INDEX \"{name.Replace("\"", "\"\"", StringComparison.Ordinal)}\"");
        }

        return deferred;
    }

    protected override Task BeforeCommitAsync(CancellationToken ct)
    {
        foreach (var sql in _deferredIndexes)
        {
            ct.ThrowIfCancellationRequested();
            Exec(sql);
        }

        return Task.CompletedTask;
    }

    private void Exec(string sql) => SqliteException.ThrowExceptionForRC(raw.sqlite3_exec(_db, sql), _db);

    private long Scalar(string sql)
    {
        var rc = raw.sqlite3_prepare_v2(_db, sql, out var statement);
        SqliteException.ThrowExceptionForRC(rc, _db);
        using (statement)
        {
            return raw.sqlite3_step(statement) == raw.SQLITE_ROW ? raw.sqlite3_column_int64(statement, 0) : 0;
        }
    }

    protected override ValueTask DisposeCommandsAsync()
    {
        _insert.Dispose();
        _contact.Dispose();
        _findContact.Dispose();
        _fillContact.Dispose();
        return ValueTask.CompletedTask;
    }

    private sqlite3_stmt Prepare(string sql)
    {
        var rc = raw.sqlite3_prepare_v2(_db, sql, out var statement);
        SqliteException.ThrowExceptionForRC(rc, _db);
        return statement;
    }

    // UTF-8 is encoded into one reused buffer (SQLite copies it), so binding allocates nothing per value.
    private void Text(sqlite3_stmt s, int index, string? value)
    {
        if (value is null)
        {
            raw.sqlite3_bind_null(s, index);
            return;
        }

        var max = Encoding.UTF8.GetMaxByteCount(value.Length);
        if (_utf8.Length < max)
        {
            _utf8 = new byte[Math.Max(max, _utf8.Length * 2)];
        }

        var length = Encoding.UTF8.GetBytes(value, _utf8);
        raw.sqlite3_bind_text(s, index, _utf8.AsSpan(0, length));
    }

    /// <summary>The time as EF Core stores it on SQLite (see <see cref="SqlValues.Time"/>), formatted straight to UTF-8.</summary>
    private void Time(sqlite3_stmt s, int index, DateTime utc)
    {
        if (!utc.TryFormat(_utf8, out var length, "yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture))
        {
            throw new InvalidOperationException("Could not format a time.");
        }

        raw.sqlite3_bind_text(s, index, _utf8.AsSpan(0, length));
    }

    private void Step(sqlite3_stmt s)
    {
        var rc = raw.sqlite3_step(s);
        if (rc != raw.SQLITE_DONE)
        {
            Fail(s, rc);
        }

        raw.sqlite3_reset(s);
    }

    private void Fail(sqlite3_stmt s, int rc)
    {
        raw.sqlite3_reset(s);
        SqliteException.ThrowExceptionForRC(rc, _db);
        throw new SqliteException($"SQLite step returned {rc}.", rc);
    }
}
