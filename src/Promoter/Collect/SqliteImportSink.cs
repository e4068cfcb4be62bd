using System.Data.Common;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Promoter.Data;
using SQLitePCL;

namespace Promoter.Collect;

/// <summary>
/// SQLite: statements prepared once on the import's connection and driven through the native API, binding values by
/// position. ADO.NET re-resolves every parameter by name on each execution, which costs more than SQLite's own insert.
/// Runs inside the transaction the base class began on the same connection, with the responses triggers (and, for an
/// import that is large next to the table, its non-unique indexes) set aside until just before commit.
/// </summary>
internal sealed class SqliteSink : ImportSink
{
    /// <summary>Rows per INSERT statement: one step, one statement journal and one set of open cursors for all of them.</summary>
    internal const int RowsPerInsert = 32;

    /// <summary>Below this many stored responses, the responses indexes are always rebuilt after the rows.</summary>
    internal const int DeferIndexesBelow = 50_000;

    private const int SharedValues = 3;
    private const int ValuesPerRow = 10;

    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _insertOne;
    private readonly sqlite3_stmt _insertMany;
    private readonly sqlite3_stmt _contact;
    private readonly sqlite3_stmt _findContact;
    private readonly sqlite3_stmt _fillContact;
    private readonly SqliteImportSchema _schema;
    private readonly long _storedResponses;
    private readonly bool _contactsExist;
    private readonly List<NewContact> _newContacts = [];
    private bool _indexesDecided;
    private readonly SqliteUtf8Buffer _utf8 = new();
    private readonly string _pooledConnectionString;

    public SqliteSink(SqliteConnection connection, DbTransaction transaction, ImportTarget target, string pooledConnectionString) : base(connection, transaction, target)
    {
        _pooledConnectionString = pooledConnectionString;
        _db = connection.Handle!;
        var workspace = (string)Workspace;
        var survey = (string)SqlValues.Id(DatabaseProvider.Sqlite, target.SurveyId);

        // Foreign keys are off on this connection (every row shares one workspace and one survey): check them once,
        // under the write lock, so the survey cannot be deleted between this check and the commit.
        if (Scalar("SELECT COUNT(*) FROM surveys WHERE id = ?1 AND workspace_id = ?2", survey, workspace) == 0)
        {
            throw new Platform.NotFoundException("survey");
        }

        _storedResponses = Scalar("SELECT COUNT(*) FROM (SELECT 1 FROM responses LIMIT " + DeferIndexesBelow.ToString(CultureInfo.InvariantCulture) + ")");
        _contactsExist = Scalar("SELECT EXISTS (SELECT 1 FROM contacts WHERE workspace_id = ?1)", workspace) != 0;
        _schema = new SqliteImportSchema(_db);
        _schema.DropTriggers();

        const string Columns = "INSERT INTO responses (workspace_id, survey_id, contact_id, score, comment, language, channel, status, " +
                               "implicitly_confirmed, properties, team_member, touchpoint, responded_at, created_at, updated_at, revision, submission_id) VALUES ";
        _insertOne = Prepare(Columns + RowValues(0));
        _insertMany = Prepare(Columns + string.Join(", ", Enumerable.Range(0, RowsPerInsert).Select(RowValues)));
        // Look up, then insert or fill gaps: the transaction holds SQLite's write lock, so nobody can add the same email
        // in between, and this is several times faster than INSERT … ON CONFLICT DO UPDATE … RETURNING.
        _contact = Prepare(ContactColumns + "(?1, ?2, ?3, ?4, ?5, ?6, '{}', ?7, ?7)");
        _findContact = Prepare("SELECT id, properties FROM contacts WHERE workspace_id = ?1 AND email_key = ?2");
        _fillContact = Prepare("UPDATE contacts SET name = COALESCE(name, ?2), locale = COALESCE(locale, ?3), updated_at = ?4 WHERE id = ?1");

        // sqlite3_reset keeps bindings: the values every row shares are bound once.
        foreach (var insert in (ReadOnlySpan<sqlite3_stmt>)[_insertOne, _insertMany])
        {
            Text(insert, 1, workspace);
            Text(insert, 2, survey);
            Text(insert, 3, (string)Now);
        }

        Text(_contact, 2, workspace);
        Text(_contact, 7, (string)Now);
        Text(_findContact, 1, workspace);
        Text(_fillContact, 4, (string)Now);
    }

    /// <summary>Indexes set aside for this import (0 when the table is kept indexed row by row).</summary>
    internal int DeferredIndexes => _schema.DeferredIndexes;

    private static string RowValues(int row)
    {
        var p = SharedValues + (row * ValuesPerRow);
        return string.Create(CultureInfo.InvariantCulture,
            $"(?1, ?2, ?{p + 1}, ?{p + 2}, ?{p + 3}, ?{p + 4}, ?{p + 5}, 'Final', 0, ?{p + 6}, ?{p + 7}, ?{p + 8}, ?{p + 9}, ?3, ?3, 1, ?{p + 10})");
    }

    protected override Task WriteRowsAsync(RowBatch batch, CancellationToken ct)
    {
        if (!_indexesDecided)
        {
            _indexesDecided = true;
            // Rebuilding sorts the whole table (old rows and new); keeping indexes up to date costs per new row, several
            // times more per row. Rebuild when the import is at least as large as what is stored.
            if (_storedResponses < DeferIndexesBelow || batch.ExpectedRows >= Scalar("SELECT COUNT(*) FROM responses"))
            {
                _schema.DropIndexes();
            }
        }

        var i = 0;
        for (; i + RowsPerInsert <= batch.Count; i += RowsPerInsert)
        {
            for (var r = 0; r < RowsPerInsert; r++)
            {
                Bind(_insertMany, r, batch.Rows[i + r]);
            }

            Step(_insertMany);
        }

        for (; i < batch.Count; i++)
        {
            Bind(_insertOne, 0, batch.Rows[i]);
            Step(_insertOne);
        }

        return Task.CompletedTask;
    }

    private void Bind(sqlite3_stmt s, int position, ImportRow row)
    {
        var p = SharedValues + (position * ValuesPerRow);
        Text(s, p + 1, row.ContactDbId as string);
        raw.sqlite3_bind_int(s, p + 2, row.Score);
        Text(s, p + 3, row.Comment);
        Text(s, p + 4, row.Language);
        Text(s, p + 5, row.Channel);
        Text(s, p + 6, row.Properties);
        Text(s, p + 7, row.TeamMember);
        Text(s, p + 8, row.Touchpoint);
        Time(s, p + 9, row.RespondedAt);
        Text(s, p + 10, row.SubmissionId);
    }

    protected override Task UpsertContactsAsync(List<ImportRow> rows, int start, int count, CancellationToken ct)
    {
        for (var r = start; r < start + count; r++)
        {
            var row = rows[r];
            if (_contactsExist && FindContact(row))
            {
                continue;
            }

            // New contacts are inserted in one pass before commit, sorted by email: no foreign key points at them from
            // responses, and sorted keys append to the email index instead of landing at random places in it.
            var id = (string)SqlValues.Id(DatabaseProvider.Sqlite, Guid.CreateVersion7());
            _newContacts.Add(new NewContact(id, row.Email!, row.EmailKey!, row.Name, row.Locale));
            Remember(row.EmailKey!, id, "{}");
        }

        return Task.CompletedTask;
    }

    private bool FindContact(ImportRow row)
    {
        var find = _findContact;
        Text(find, 2, row.EmailKey);
        var rc = raw.sqlite3_step(find);
        if (rc == raw.SQLITE_DONE)
        {
            raw.sqlite3_reset(find);
            return false;
        }

        if (rc != raw.SQLITE_ROW)
        {
            Fail(find, rc);
        }

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
        return true;
    }

    protected override Task BeforeCommitAsync(CancellationToken ct)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        _newContacts.Sort(static (a, b) => string.CompareOrdinal(a.EmailKey, b.EmailKey));
        foreach (var contact in _newContacts)
        {
            Text(_contact, 1, contact.Id);
            Text(_contact, 3, contact.Email);
            Text(_contact, 4, contact.EmailKey);
            Text(_contact, 5, contact.Name);
            Text(_contact, 6, contact.Locale);
            Step(_contact);
        }

        Timings.NewContacts = System.Diagnostics.Stopwatch.GetElapsedTime(started);
        ct.ThrowIfCancellationRequested();
        _schema.Restore(ct);
        return Task.CompletedTask;
    }

    /// <summary>
    /// The import turned automatic checkpoints off (a commit would otherwise copy the whole import from the WAL into the
    /// database file before returning); it checkpoints once here, after the rows are durable, without waiting for readers.
    /// Then the planner statistics are refreshed: the table may have grown from nothing to millions of rows.
    /// </summary>
    public override async Task AfterCommitAsync(CancellationToken ct)
    {
        SqliteException.ThrowExceptionForRC(raw.sqlite3_exec(_db, "PRAGMA wal_checkpoint(PASSIVE)"), _db);
        await SqliteStatistics.RefreshAsync(Connection, _pooledConnectionString, ct);
    }

    private long Scalar(string sql, params ReadOnlySpan<string> values)
    {
        using var statement = Prepare(sql);
        for (var i = 0; i < values.Length; i++)
        {
            Text(statement, i + 1, values[i]);
        }

        var rc = raw.sqlite3_step(statement);
        if (rc != raw.SQLITE_ROW)
        {
            Fail(statement, rc);
        }

        return raw.sqlite3_column_int64(statement, 0);
    }

    protected override ValueTask DisposeCommandsAsync()
    {
        _insertOne.Dispose();
        _insertMany.Dispose();
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

    private void Text(sqlite3_stmt s, int index, string? value)
    {
        if (value is null)
        {
            raw.sqlite3_bind_null(s, index);
            return;
        }

        raw.sqlite3_bind_text(s, index, _utf8.Encode(value));
    }

    private void Time(sqlite3_stmt s, int index, DateTime utc) => raw.sqlite3_bind_text(s, index, _utf8.Encode(utc));

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

    private sealed record NewContact(string Id, string Email, string EmailKey, string? Name, string? Locale);
}
