using System.Data.Common;
using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Npgsql;
using Promoter.Data;
using Promoter.Platform;

namespace Promoter.Collect;

/// <summary>
/// Stores new responses with group commit: requests queue their response and wait; one writer takes everything
/// queued, inserts it in one transaction and commits once, then answers every waiting request. A request is
/// acknowledged only after the commit that holds it (SQLite <c>synchronous=FULL</c> makes that durable), and one
/// fsync covers many responses under load instead of capping throughput at one per fsync.
/// </summary>
public sealed class ResponseWriter : BackgroundService
{
    public const int MaxBatch = 512;

    private readonly Channel<Pending> _queue = Channel.CreateBounded<Pending>(new BoundedChannelOptions(20_000)
    {
        SingleReader = true,
        FullMode = BoundedChannelFullMode.Wait,
    });

    private readonly DatabaseOptions _database;
    private readonly TimeProvider _clock;
    private readonly ILogger<ResponseWriter> _log;
    private readonly Loop.LoopSignal _loop;

    public ResponseWriter(IOptions<DatabaseOptions> database, TimeProvider clock, ILogger<ResponseWriter> log, Loop.LoopSignal loop)
    {
        _database = database.Value;
        _clock = clock;
        _log = log;
        _loop = loop;
    }

    private sealed record Pending(NewResponse Response, TaskCompletionSource<WriteResult> Done);

    public async Task<WriteResult> WriteAsync(NewResponse response, CancellationToken ct)
    {
        var pending = new Pending(response, new TaskCompletionSource<WriteResult>(TaskCreationOptions.RunContinuationsAsynchronously));
        await _queue.Writer.WriteAsync(pending, ct);
        // Once queued the write happens regardless; the caller may stop waiting but the outcome stays consistent.
        return await pending.Done.Task.WaitAsync(ct);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<Pending>(MaxBatch);
        await using var connection = await OpenAsync(stoppingToken);
        var statements = new Statements(connection, _database.Provider);
        while (await _queue.Reader.WaitToReadAsync(stoppingToken))
        {
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var item))
            {
                batch.Add(item);
            }

            await WriteBatchAsync(statements, batch);
            batch.Clear();
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        // Finish what was accepted before stopping: queued requests are waiting for their commit.
        _queue.Writer.TryComplete();
        await base.StopAsync(cancellationToken);
    }

    private async Task WriteBatchAsync(Statements statements, List<Pending> batch)
    {
        try
        {
            var results = await InTransactionAsync(statements, batch);
            for (var i = 0; i < batch.Count; i++)
            {
                batch[i].Done.TrySetResult(results[i]);
            }
        }
        catch (Exception batchError) when (batch.Count > 1)
        {
            // One bad row must not fail its neighbours: retry each on its own.
            _log.LogWarning(batchError, "A batch of {Count} responses failed; retrying one by one", batch.Count);
            foreach (var item in batch)
            {
                try
                {
                    item.Done.TrySetResult((await InTransactionAsync(statements, [item]))[0]);
                }
                catch (Exception itemError)
                {
                    item.Done.TrySetException(itemError);
                }
            }
        }
        catch (Exception error)
        {
            batch[0].Done.TrySetException(error);
        }
    }

    private async Task<WriteResult[]> InTransactionAsync(Statements statements, IReadOnlyList<Pending> batch)
    {
        // Microseconds, as PostgreSQL stores them, so the answer built from this value equals what a later read returns.
        var utc = _clock.GetUtcNow().UtcDateTime;
        var now = utc.AddTicks(-(utc.Ticks % 10));
        await using var tx = await statements.Connection.BeginTransactionAsync();
        statements.Enlist(tx);
        var results = new WriteResult[batch.Count];
        for (var i = 0; i < batch.Count; i++)
        {
            results[i] = await WriteOneAsync(statements, batch[i].Response, now);
        }

        await tx.CommitAsync();
        // A trigger queued the new final responses for follow-up in this transaction; wake the worker now, not at its next poll.
        _loop.Notify(batch.Count);
        return results;
    }

    private static async Task<WriteResult> WriteOneAsync(Statements s, NewResponse r, DateTime now)
    {
        if (r.Idempotency is { } idem)
        {
            if (await s.FindIdempotentAsync(r.WorkspaceId, idem.Key) is { } previous)
            {
                return previous.Hash == idem.RequestHash
                    ? new WriteResult(WriteResultKind.Replayed, 0, previous.Status, previous.Body)
                    : new WriteResult(WriteResultKind.KeyReused, 0);
            }
        }

        StoredContact? stored = null;
        if (r.Contact is { } contact)
        {
            stored = await s.UpsertContactAsync(r.WorkspaceId, contact, now);
            r = r with { ContactId = stored.Id, Properties = PropertyBags.Merge(stored.Properties, r.Properties) };
        }

        var id = await s.InsertAsync(r, now);
        if (id is null)
        {
            var existing = await s.FindDuplicateAsync(r) ?? throw new InvalidOperationException("A response insert was skipped but no duplicate exists.");
            return new WriteResult(WriteResultKind.Duplicate, existing, 200);
        }

        var written = new WrittenResponse(id.Value, r.ContactId, r.Properties, now, stored?.Email, stored?.Name);
        if (r.Idempotency is { } key)
        {
            var body = key.ResponseBody(written);
            await s.StoreIdempotentAsync(r.WorkspaceId, key, 201, body, now);
            return new WriteResult(WriteResultKind.Created, id.Value, 201, body, written);
        }

        return new WriteResult(WriteResultKind.Created, id.Value, Written: written);
    }

    private async Task<DbConnection> OpenAsync(CancellationToken ct)
    {
        DbConnection connection = _database.Provider == DatabaseProvider.Sqlite
            ? new SqliteConnection(_database.ConnectionString)
            : new NpgsqlConnection(_database.ConnectionString);
        await connection.OpenAsync(ct);
        if (_database.Provider == DatabaseProvider.Sqlite)
        {
            SqliteDurability.Apply(connection);
        }

        return connection;
    }

    /// <summary>
    /// The writer's statements, created once on its connection and reused for every row: only parameter values and
    /// the transaction change (SQLite keeps each command's compiled statement; nothing is parsed per row).
    /// </summary>
    private sealed class Statements(DbConnection connection, DatabaseProvider provider)
    {
        private const string InsertSql =
            "INSERT INTO responses (workspace_id, survey_id, invitation_id, contact_id, score, comment, language, channel, status, " +
            "implicitly_confirmed, submission_id, answers, properties, team_member, touchpoint, network_prefix, responded_at, created_at, updated_at, revision) " +
            "VALUES (@ws, @survey, @invitation, @contact, @score, @comment, @language, @channel, @status, @implicit, @submission, @answers, " +
            "@properties, @team, @touchpoint, @network, @responded, @now, @now, 1) ON CONFLICT DO NOTHING RETURNING id";

        // Fill gaps only: what a response says about a person never overwrites what the contact record already knows.
        private const string UpsertContactSql =
            "INSERT INTO contacts (id, workspace_id, email, email_key, name, locale, properties, created_at, updated_at) " +
            "VALUES (@id, @ws, @email, @key, @name, @locale, '{}', @now, @now) " +
            "ON CONFLICT (workspace_id, email_key) DO UPDATE SET name = COALESCE(contacts.name, excluded.name), " +
            "locale = COALESCE(contacts.locale, excluded.locale), updated_at = excluded.updated_at RETURNING id, properties, email, name";

        private const string FindDuplicateSql =
            "SELECT id FROM responses WHERE (survey_id = @survey AND submission_id = @submission) OR invitation_id = @invitation LIMIT 1";

        private const string FindIdempotentSql = "SELECT request_hash, status_code, response_body FROM idempotency_keys WHERE workspace_id = @ws AND key = @key";

        private const string StoreIdempotentSql =
            "INSERT INTO idempotency_keys (workspace_id, key, request_hash, status_code, response_body, created_at) VALUES (@ws, @key, @hash, @status, @body, @now)";

        private readonly Dictionary<string, DbCommand> _commands = new(StringComparer.Ordinal);
        private DbTransaction? _tx;

        public DbConnection Connection { get; } = connection;

        public void Enlist(DbTransaction tx) => _tx = tx;

        private DbCommand Command(string sql, params ReadOnlySpan<string> parameters)
        {
            if (!_commands.TryGetValue(sql, out var command))
            {
                command = Connection.CreateCommand();
                command.CommandText = sql;
                foreach (var name in parameters)
                {
                    command.Add(name, null);
                }

                _commands[sql] = command;
            }

            command.Transaction = _tx;
            return command;
        }

        public async Task<long?> InsertAsync(NewResponse r, DateTime now)
        {
            var c = Command(InsertSql, "@ws", "@survey", "@invitation", "@contact", "@score", "@comment", "@language", "@channel", "@status",
                "@implicit", "@submission", "@answers", "@properties", "@team", "@touchpoint", "@network", "@responded", "@now");
            var p = c.Parameters;
            p[0].Value = SqlValues.Id(provider, r.WorkspaceId);
            p[1].Value = SqlValues.Id(provider, r.SurveyId);
            p[2].Value = SqlValues.Id(provider, r.InvitationId);
            p[3].Value = SqlValues.Id(provider, r.ContactId);
            p[4].Value = r.Score;
            p[5].Value = SqlValues.Text(r.Comment);
            p[6].Value = r.Language;
            p[7].Value = r.Channel;
            p[8].Value = r.Status.ToString();
            p[9].Value = SqlValues.Bool(provider, false);
            p[10].Value = SqlValues.Text(r.SubmissionId);
            p[11].Value = SqlValues.Text(r.Answers);
            p[12].Value = SqlValues.Text(r.Properties);
            p[13].Value = SqlValues.Text(r.TeamMember);
            p[14].Value = SqlValues.Text(r.Touchpoint);
            p[15].Value = SqlValues.Text(r.NetworkPrefix);
            p[16].Value = SqlValues.Time(provider, r.RespondedAt);
            p[17].Value = SqlValues.Time(provider, now);
            var id = await c.ExecuteScalarAsync();
            return id is null or DBNull ? null : Convert.ToInt64(id, System.Globalization.CultureInfo.InvariantCulture);
        }

        public async Task<StoredContact> UpsertContactAsync(Guid workspaceId, NewContact contact, DateTime now)
        {
            var c = Command(UpsertContactSql, "@id", "@ws", "@email", "@key", "@name", "@locale", "@now");
            var p = c.Parameters;
            p[0].Value = SqlValues.Id(provider, contact.NewId);
            p[1].Value = SqlValues.Id(provider, workspaceId);
            p[2].Value = contact.Email;
            p[3].Value = EmailAddresses.Key(contact.Email);
            p[4].Value = SqlValues.Text(contact.Name);
            p[5].Value = SqlValues.Text(contact.Locale);
            p[6].Value = SqlValues.Time(provider, now);
            await using var reader = await c.ExecuteReaderAsync();
            await reader.ReadAsync();
            var id = reader.GetValue(0) is Guid g ? g : Guid.Parse(reader.GetString(0));
            return new StoredContact(id, reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3));
        }

        public async Task<long?> FindDuplicateAsync(NewResponse r)
        {
            var c = Command(FindDuplicateSql, "@survey", "@submission", "@invitation");
            c.Parameters[0].Value = SqlValues.Id(provider, r.SurveyId);
            c.Parameters[1].Value = SqlValues.Text(r.SubmissionId);
            c.Parameters[2].Value = SqlValues.Id(provider, r.InvitationId);
            var id = await c.ExecuteScalarAsync();
            return id is null or DBNull ? null : Convert.ToInt64(id, System.Globalization.CultureInfo.InvariantCulture);
        }

        public async Task<(string Hash, int Status, string Body)?> FindIdempotentAsync(Guid workspaceId, string key)
        {
            var c = Command(FindIdempotentSql, "@ws", "@key");
            c.Parameters[0].Value = SqlValues.Id(provider, workspaceId);
            c.Parameters[1].Value = key;
            await using var reader = await c.ExecuteReaderAsync();
            return await reader.ReadAsync() ? (reader.GetString(0), reader.GetInt32(1), reader.GetString(2)) : null;
        }

        public async Task StoreIdempotentAsync(Guid workspaceId, IdempotentRequest key, int status, string body, DateTime now)
        {
            var c = Command(StoreIdempotentSql, "@ws", "@key", "@hash", "@status", "@body", "@now");
            var p = c.Parameters;
            p[0].Value = SqlValues.Id(provider, workspaceId);
            p[1].Value = key.Key;
            p[2].Value = key.RequestHash;
            p[3].Value = status;
            p[4].Value = body;
            p[5].Value = SqlValues.Time(provider, now);
            await c.ExecuteNonQueryAsync();
        }
    }

    private sealed record StoredContact(Guid Id, string Properties, string? Email, string? Name);
}
