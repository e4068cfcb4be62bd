using System.Data.Common;
using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Npgsql;
using NpgsqlTypes;
using Promoter.Data;
using Promoter.Metrics;
using Promoter.Platform;

namespace Promoter.Collect;

/// <summary>
/// The writing half of an import: one connection, one transaction, statements prepared once and reused for every
/// block of rows. Contacts are upserted once per distinct email (fill gaps only, like <see cref="ResponseWriter"/>)
/// and their properties snapshot merged into each response, as the intake API does.
/// </summary>
internal abstract class ImportSink : IAsyncDisposable
{
    /// <summary>Rows per multi-row statement (PostgreSQL): one round trip binds ~600 values.</summary>
    protected const int RowsPerStatement = 64;

    protected const string ContactColumns = "INSERT INTO contacts (id, workspace_id, email, email_key, name, locale, properties, created_at, updated_at) VALUES ";
    protected const string ContactConflict =
        " ON CONFLICT (workspace_id, email_key) DO UPDATE SET name = COALESCE(contacts.name, excluded.name), " +
        "locale = COALESCE(contacts.locale, excluded.locale), updated_at = excluded.updated_at RETURNING id, email_key, properties";

    /// <summary>
    /// The import connection's own settings (durability stays synchronous=FULL). A large page cache and in-memory temp
    /// storage let the index builds before commit sort in memory. Foreign keys are checked once by the sink instead of
    /// per row (every row shares one workspace and one survey). Automatic checkpoints are off so that the commit returns
    /// once the WAL is durable; the sink checkpoints right after.
    /// </summary>
    internal const string SqliteImportPragmas =
        "PRAGMA cache_size=-131072; PRAGMA temp_store=MEMORY; PRAGMA foreign_keys=OFF; PRAGMA wal_autocheckpoint=0;";

    private readonly Dictionary<string, (object DbId, string? Properties)> _contacts = new(StringComparer.Ordinal);
    private readonly Dictionary<int, DbCommand> _contactCommands = [];
    private readonly List<ImportRow> _unseen = [];
    private readonly HashSet<string> _unseenKeys = new(StringComparer.Ordinal);
    private bool _committed;
    private RollupAccumulator _rollups = null!;
    private WorkspaceCalendar _calendar = WorkspaceCalendar.Utc;
    private List<string> _segments = [];
    private readonly string _suspension = "import:" + Guid.NewGuid().ToString("N");
    private long _lastIdBefore;

    protected ImportSink(DbConnection connection, DbTransaction transaction, ImportTarget target)
    {
        Connection = connection;
        Transaction = transaction;
        Target = target;
        Workspace = SqlValues.Id(target.Provider, target.WorkspaceId);
        Now = SqlValues.Time(target.Provider, target.Now);
    }

    protected DbConnection Connection { get; }
    protected DbTransaction Transaction { get; }
    protected ImportTarget Target { get; }
    protected object Workspace { get; }
    protected object Now { get; }

    /// <summary>Distinct contacts linked so far.</summary>
    public long Contacts => _contacts.Count;

    public static async Task<ImportSink> OpenAsync(DatabaseOptions options, ImportTarget target, bool postgresCopy, CancellationToken ct)
    {
        DbConnection connection;
        if (options.Provider == DatabaseProvider.Sqlite)
        {
            // A private connection (no pool): the large page cache below must not outlive the import.
            connection = new SqliteConnection(new SqliteConnectionStringBuilder(options.ConnectionString) { Pooling = false }.ToString());
            await connection.OpenAsync(ct);
            SqliteDurability.Apply(connection);
            await using var pragma = connection.CreateCommand();
            pragma.CommandText = SqliteImportPragmas;
            await pragma.ExecuteNonQueryAsync(ct);
        }
        else
        {
            connection = new NpgsqlConnection(options.ConnectionString);
            await connection.OpenAsync(ct);
        }

        try
        {
            // SQLite: BEGIN IMMEDIATE takes the write lock now, so the look-up-then-insert of contacts cannot race.
            var transaction = connection is SqliteConnection sqlite
                ? sqlite.BeginTransaction(deferred: false)
                : await connection.BeginTransactionAsync(ct);
            ImportSink sink = options.Provider switch
            {
                DatabaseProvider.Sqlite => new SqliteSink((SqliteConnection)connection, transaction, target, options.ConnectionString),
                _ when postgresCopy => new PostgresCopySink(connection, transaction, target),
                _ => new InsertSink(connection, transaction, target),
            };
            await sink.SuspendRollupTriggersAsync(ct);
            return sink;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    internal ImportTimings Timings { get; } = new();

    /// <summary>Links the batch's contacts (merging their properties into the rows) and stores its rows.</summary>
    public async Task WriteAsync(RowBatch batch, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        await ResolveContactsAsync(batch, ct);
        var contacts = Stopwatch.GetTimestamp();
        await WriteRowsAsync(batch, ct);
        Timings.Contacts += Stopwatch.GetElapsedTime(started, contacts);
        Timings.Rows += Stopwatch.GetElapsedTime(contacts);
    }

    /// <summary>Adds a written batch to the rollup counts. Needs no connection: may run beside the next <see cref="WriteAsync"/>, never beside another Count.</summary>
    public void Count(RowBatch batch)
    {
        var started = Stopwatch.GetTimestamp();
        for (var i = 0; i < batch.Count; i++)
        {
            var row = batch.Rows[i];
            _rollups.Add(Target.SurveyId, _calendar.DayOf(row.RespondedAt), row.Score,
                RollupKeys.For(row.Channel, row.Language, row.Touchpoint, row.TeamMember, row.Properties, _segments));
        }

        Timings.Rollups += Stopwatch.GetElapsedTime(started);
    }

    /// <summary>
    /// A trigger per row would double the cost of a bulk load, so this transaction holds a rollup suspension (which no
    /// other transaction sees) and adds the counts itself, aggregated in memory, before it commits.
    /// </summary>
    private async Task SuspendRollupTriggersAsync(CancellationToken ct)
    {
        _rollups = new RollupAccumulator(Target.WorkspaceId);
        await using (var suspend = Command("INSERT INTO rollup_suspensions (token) VALUES (@token)"))
        {
            suspend.Add("@token", _suspension);
            await suspend.ExecuteNonQueryAsync(ct);
        }

        await using (var segments = Command("SELECT key FROM segment_keys WHERE workspace_id = @ws"))
        {
            segments.Add("@ws", Workspace);
            await using var reader = await segments.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                _segments.Add(reader.GetString(0));
            }
        }

        await using var offsets = Command("SELECT from_unix, offset_seconds FROM tz_offsets WHERE workspace_id = @ws ORDER BY from_unix");
        offsets.Add("@ws", Workspace);
        var transitions = new List<(long, int)>();
        await using (var reader = await offsets.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                transitions.Add((reader.GetInt64(0), reader.GetInt32(1)));
            }
        }

        _calendar = new WorkspaceCalendar(transitions);
        await using var last = Command("SELECT COALESCE(MAX(id), 0) FROM responses");
        _lastIdBefore = Convert.ToInt64(await last.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
    }

    protected abstract Task WriteRowsAsync(RowBatch batch, CancellationToken ct);

    /// <summary>
    /// Adds the survey's stored submission ids that start with <paramref name="prefix"/> to <paramref name="keys"/>. Runs
    /// inside the import's transaction (SQLite: under its write lock), so what it reads is what the commit will meet.
    /// The prefix is compared with <c>substr</c>, not LIKE or a range: both depend on case rules or collation.
    /// </summary>
    public async Task ReadStoredKeysAsync(string prefix, HashSet<string> keys, CancellationToken ct)
    {
        await using var command = Command(
            "SELECT submission_id FROM responses WHERE survey_id = @survey AND submission_id IS NOT NULL AND substr(submission_id, 1, @length) = @prefix");
        command.Add("@survey", SqlValues.Id(Target.Provider, Target.SurveyId));
        command.Add("@length", prefix.Length);
        command.Add("@prefix", prefix);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            keys.Add(reader.GetString(0));
        }
    }

    public async Task CommitAsync(string actor, string details, CancellationToken ct)
    {
        await _rollups.FlushAsync(Connection, Transaction, Target.Provider, ct);
        // The suspension kept the triggers from queueing the rows' comments for the text index: queue them in one statement
        // (a row queued twice by a concurrent writer is harmless: the indexer counts a response's current state once).
        await using (var queue = Command(
            "INSERT INTO text_queue (workspace_id, response_id, queued_at) SELECT workspace_id, id, @now FROM responses " +
            "WHERE id > @last AND survey_id = @survey AND status = 'Final' AND comment IS NOT NULL"))
        {
            queue.Add("@now", Now);
            queue.Add("@last", _lastIdBefore);
            queue.Add("@survey", SqlValues.Id(Target.Provider, Target.SurveyId));
            await queue.ExecuteNonQueryAsync(ct);
        }

        await using (var resume = Command("DELETE FROM rollup_suspensions WHERE token = @token"))
        {
            resume.Add("@token", _suspension);
            await resume.ExecuteNonQueryAsync(ct);
        }

        await using (var audit = Command(
            "INSERT INTO audit_entries (workspace_id, at, actor, action, target, details) VALUES (@ws, @at, @actor, 'responses.imported', @target, @details)"))
        {
            audit.Add("@ws", Workspace);
            audit.Add("@at", Now);
            audit.Add("@actor", actor.Length > 100 ? actor[..100] : actor);
            audit.Add("@target", $"survey:{Target.SurveyId}");
            audit.Add("@details", details.Length > 4000 ? details[..4000] : details);
            await audit.ExecuteNonQueryAsync(ct);
        }

        var started = Stopwatch.GetTimestamp();
        await BeforeCommitAsync(ct);
        var commit = Stopwatch.GetTimestamp();
        await Transaction.CommitAsync(ct);
        _committed = true;
        Timings.BeforeCommit = Stopwatch.GetElapsedTime(started, commit);
        Timings.Commit = Stopwatch.GetElapsedTime(commit);
    }

    /// <summary>Maintenance once the rows are committed and durable (SQLite: a WAL checkpoint).</summary>
    public virtual Task AfterCommitAsync(CancellationToken ct) => Task.CompletedTask;

    protected DbCommand Command(string sql)
    {
        var command = Connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = Transaction;
        return command;
    }

    private async Task ResolveContactsAsync(RowBatch batch, CancellationToken ct)
    {
        _unseen.Clear();
        _unseenKeys.Clear();
        for (var i = 0; i < batch.Count; i++)
        {
            // The first row naming a new email supplies its name and locale.
            if (batch.Rows[i].EmailKey is { } key && !_contacts.ContainsKey(key) && _unseenKeys.Add(key))
            {
                _unseen.Add(batch.Rows[i]);
            }
        }

        for (var start = 0; start < _unseen.Count; start += RowsPerStatement)
        {
            await UpsertContactsAsync(_unseen, start, Math.Min(RowsPerStatement, _unseen.Count - start), ct);
        }

        for (var i = 0; i < batch.Count; i++)
        {
            var row = batch.Rows[i];
            if (row.EmailKey is { } key)
            {
                var (id, properties) = _contacts[key];
                row.ContactDbId = id;
                if (properties is not null)
                {
                    row.Properties = PropertyBags.Merge(properties, row.Properties);
                }
            }
        }
    }

    /// <summary>Finds or creates the contacts of <paramref name="rows"/>[start..start+count) and calls <see cref="Remember"/> for each.</summary>
    protected virtual async Task UpsertContactsAsync(List<ImportRow> rows, int start, int count, CancellationToken ct)
    {
        if (!_contactCommands.TryGetValue(count, out var command))
        {
            var values = string.Join(", ", Enumerable.Range(0, count).Select(r => $"(@i{r}, @ws, @e{r}, @k{r}, @n{r}, @l{r}, '{{}}', @now, @now)"));
            command = Command(ContactColumns + values + ContactConflict);
            command.Add("@ws", Workspace);
            command.Add("@now", Now);
            for (var r = 0; r < count; r++)
            {
                command.Add($"@i{r}", null);
                command.Add($"@e{r}", null);
                command.Add($"@k{r}", null);
                command.Add($"@n{r}", null);
                command.Add($"@l{r}", null);
            }

            _contactCommands[count] = command;
        }

        var parameters = command.Parameters;
        for (var r = 0; r < count; r++)
        {
            var row = rows[start + r];
            var p = 2 + (r * 5);
            parameters[p].Value = SqlValues.Id(Target.Provider, Guid.CreateVersion7());
            parameters[p + 1].Value = row.Email;
            parameters[p + 2].Value = row.EmailKey;
            parameters[p + 3].Value = SqlValues.Text(row.Name);
            parameters[p + 4].Value = SqlValues.Text(row.Locale);
        }

        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            Remember(reader.GetString(1), Target.Provider == DatabaseProvider.Sqlite ? reader.GetString(0) : reader.GetGuid(0), reader.GetString(2));
        }
    }

    protected void Remember(string emailKey, object id, string properties) =>
        _contacts[emailKey] = (id, properties is "{}" or "" ? null : properties);

    public async ValueTask DisposeAsync()
    {
        foreach (var command in _contactCommands.Values)
        {
            await command.DisposeAsync();
        }

        await DisposeCommandsAsync();
        if (!_committed)
        {
            // Nothing reaches the database unless the whole import committed.
            await Transaction.RollbackAsync(CancellationToken.None);
        }

        await Transaction.DisposeAsync();
        await Connection.DisposeAsync();
    }

    protected virtual ValueTask DisposeCommandsAsync() => ValueTask.CompletedTask;

    /// <summary>Last work inside the transaction, after every row.</summary>
    protected virtual Task BeforeCommitAsync(CancellationToken ct) => Task.CompletedTask;
}

/// <summary>Multi-row INSERTs, prepared once per row count and reused: PostgreSQL without COPY.</summary>
internal sealed class InsertSink(DbConnection connection, DbTransaction transaction, ImportTarget target) : ImportSink(connection, transaction, target)
{
    private const int SharedParameters = 5;
    private const int ParametersPerRow = 10;
    private readonly Dictionary<int, DbCommand> _commands = [];

    protected override async Task WriteRowsAsync(RowBatch batch, CancellationToken ct)
    {
        for (var start = 0; start < batch.Count; start += RowsPerStatement)
        {
            var count = Math.Min(RowsPerStatement, batch.Count - start);
            var command = CommandFor(count);
            var parameters = command.Parameters;
            for (var r = 0; r < count; r++)
            {
                var row = batch.Rows[start + r];
                var p = SharedParameters + (r * ParametersPerRow);
                parameters[p].Value = row.ContactDbId ?? DBNull.Value;
                parameters[p + 1].Value = row.Score;
                parameters[p + 2].Value = SqlValues.Text(row.Comment);
                parameters[p + 3].Value = row.Language;
                parameters[p + 4].Value = row.Channel;
                parameters[p + 5].Value = SqlValues.Text(row.Properties);
                parameters[p + 6].Value = SqlValues.Text(row.TeamMember);
                parameters[p + 7].Value = SqlValues.Text(row.Touchpoint);
                parameters[p + 8].Value = SqlValues.Time(Target.Provider, row.RespondedAt);
                parameters[p + 9].Value = SqlValues.Text(row.SubmissionId);
            }

            await command.ExecuteNonQueryAsync(ct);
        }
    }

    private DbCommand CommandFor(int rows)
    {
        if (_commands.TryGetValue(rows, out var command))
        {
            return command;
        }

        var values = string.Join(", ", Enumerable.Range(0, rows).Select(r =>
            $"(@ws, @survey, @c{r}, @s{r}, @m{r}, @l{r}, @h{r}, @status, @implicit, @p{r}, @t{r}, @u{r}, @r{r}, @now, @now, 1, @k{r})"));
        command = Command(
            "INSERT INTO responses (workspace_id, survey_id, contact_id, score, comment, language, channel, status, implicitly_confirmed, " +
            "properties, team_member, touchpoint, responded_at, created_at, updated_at, revision, submission_id) VALUES " + values);
        command.Add("@ws", Workspace);
        command.Add("@survey", SqlValues.Id(Target.Provider, Target.SurveyId));
        command.Add("@status", nameof(ResponseStatus.Final));
        command.Add("@implicit", SqlValues.Bool(Target.Provider, false));
        command.Add("@now", Now);
        foreach (var r in Enumerable.Range(0, rows))
        {
            foreach (var name in (ReadOnlySpan<string>)["c", "s", "m", "l", "h", "p", "t", "u", "r", "k"])
            {
                command.Add($"@{name}{r}", null);
            }
        }

        _commands[rows] = command;
        return command;
    }

    protected override async ValueTask DisposeCommandsAsync()
    {
        foreach (var command in _commands.Values)
        {
            await command.DisposeAsync();
        }
    }
}

/// <summary>PostgreSQL: each block of rows goes in one binary COPY inside the import's transaction.</summary>
internal sealed class PostgresCopySink(DbConnection connection, DbTransaction transaction, ImportTarget target) : ImportSink(connection, transaction, target)
{
    private const string Copy =
        "COPY responses (workspace_id, survey_id, contact_id, score, comment, language, channel, status, implicitly_confirmed, " +
        "properties, team_member, touchpoint, responded_at, created_at, updated_at, revision, submission_id) FROM STDIN (FORMAT BINARY)";

    protected override async Task WriteRowsAsync(RowBatch batch, CancellationToken ct)
    {
        var now = DateTime.SpecifyKind(Target.Now, DateTimeKind.Utc);
        await using var copy = await ((NpgsqlConnection)Connection).BeginBinaryImportAsync(Copy, ct);
        for (var i = 0; i < batch.Count; i++)
        {
            var row = batch.Rows[i];
            await copy.StartRowAsync(ct);
            await copy.WriteAsync(Target.WorkspaceId, NpgsqlDbType.Uuid, ct);
            await copy.WriteAsync(Target.SurveyId, NpgsqlDbType.Uuid, ct);
            await WriteAsync(copy, row.ContactDbId as Guid?, NpgsqlDbType.Uuid, ct);
            await copy.WriteAsync(row.Score, NpgsqlDbType.Smallint, ct);
            await WriteAsync(copy, row.Comment, NpgsqlDbType.Varchar, ct);
            await copy.WriteAsync(row.Language, NpgsqlDbType.Varchar, ct);
            await copy.WriteAsync(row.Channel, NpgsqlDbType.Varchar, ct);
            await copy.WriteAsync(nameof(ResponseStatus.Final), NpgsqlDbType.Varchar, ct);
            await copy.WriteAsync(false, NpgsqlDbType.Boolean, ct);
            await WriteAsync(copy, row.Properties, NpgsqlDbType.Text, ct);
            await WriteAsync(copy, row.TeamMember, NpgsqlDbType.Varchar, ct);
            await WriteAsync(copy, row.Touchpoint, NpgsqlDbType.Varchar, ct);
            await copy.WriteAsync(DateTime.SpecifyKind(row.RespondedAt, DateTimeKind.Utc), NpgsqlDbType.TimestampTz, ct);
            await copy.WriteAsync(now, NpgsqlDbType.TimestampTz, ct);
            await copy.WriteAsync(now, NpgsqlDbType.TimestampTz, ct);
            await copy.WriteAsync(1, NpgsqlDbType.Integer, ct);
            await WriteAsync(copy, row.SubmissionId, NpgsqlDbType.Varchar, ct);
        }

        await copy.CompleteAsync(ct);
    }

    private static Task WriteAsync<T>(NpgsqlBinaryImporter copy, T? value, NpgsqlDbType type, CancellationToken ct) where T : class =>
        value is null ? copy.WriteNullAsync(ct) : copy.WriteAsync(value, type, ct);

    private static Task WriteAsync(NpgsqlBinaryImporter copy, Guid? value, NpgsqlDbType type, CancellationToken ct) =>
        value is { } v ? copy.WriteAsync(v, type, ct) : copy.WriteNullAsync(ct);
}
