using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Promoter.Cli;
using Promoter.Collect;
using Promoter.Data;
using Promoter.Distribution.Invitations;
using SQLitePCL;

namespace Promoter.Bench;

/// <summary>
/// What SQLite alone needs to store N responses durably on this machine, with no CSV parsing, validation, contacts or
/// rollups: the rows are made in memory first (not timed), then inserted in one transaction through the native API
/// (prepared multi-row INSERT, values bound by position: the importer's own technique and pragmas), the indexes are
/// built and the transaction commits with <c>synchronous=FULL</c>. Two schemas:
/// <list type="bullet">
/// <item><b>today</b>: the product's migrated database, with triggers and non-unique indexes set aside and restored
/// exactly as the importer does (<see cref="SqliteImportSchema"/>);</item>
/// <item><b>compact</b>: the narrowest storage that still serves the product's reads: 16-byte ids, times as integer
/// microseconds, no AUTOINCREMENT, and three indexes instead of six (survey+time, workspace+updated, contact+time).</item>
/// </list>
/// Both are lower bounds for the importer: anything it adds is on top of these.
/// </summary>
internal static class SqliteFloor
{
    public sealed record Phase(string Schema, double InsertSeconds, double IndexSeconds, double CommitSeconds, long DatabaseBytes)
    {
        public double TotalSeconds => InsertSeconds + IndexSeconds + CommitSeconds;
    }

    private const int RowsPerInsert = 32;
    private const int ValuesPerRow = 16;

    private const string CompactTable = """
        CREATE TABLE responses (
            id INTEGER PRIMARY KEY, workspace_id BLOB NOT NULL, survey_id BLOB NOT NULL, invitation_id BLOB, contact_id BLOB,
            score INTEGER NOT NULL CHECK (score BETWEEN 0 AND 10), comment TEXT, language TEXT NOT NULL, channel TEXT NOT NULL,
            status INTEGER NOT NULL, implicitly_confirmed INTEGER NOT NULL, submission_id TEXT, answers TEXT, properties TEXT,
            team_member TEXT, touchpoint TEXT, network_prefix TEXT, responded_at INTEGER NOT NULL, created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL, revision INTEGER NOT NULL);
        CREATE UNIQUE INDEX ix_invitation ON responses (invitation_id) WHERE invitation_id IS NOT NULL;
        CREATE UNIQUE INDEX ix_submission ON responses (survey_id, submission_id) WHERE submission_id IS NOT NULL;
        """;

    private static readonly string[] s_compactIndexes =
    [
        "CREATE INDEX ix_survey_time ON responses (survey_id, responded_at)",
        "CREATE INDEX ix_workspace_updated ON responses (workspace_id, updated_at)",
        "CREATE INDEX ix_contact_time ON responses (contact_id, responded_at) WHERE contact_id IS NOT NULL",
    ];

    private static readonly string[] s_comments =
    [
        "Great support, fast answers", "The app keeps crashing when I upload photos", "Bra service och snabb leverans",
        "خدمة ممتازة وسريعة، شكراً لكم", "บริการดีมาก พนักงานสุภาพ", "Одлична услуга, брза испорака",
    ];

    public static async Task<IReadOnlyList<Phase>> RunAsync(int rows, TextWriter log, CancellationToken ct)
    {
        var data = MakeRows(rows);
        var phases = new List<Phase>();
        await using (var database = BenchDatabase.CreateEmpty())
        {
            var (workspace, survey) = await database.SeedAsync(ct);
            phases.Add(Today(database.Path, workspace, survey, data));
            await RecentRespondersAsync(workspace, data, log, ct);
        }

        var directory = Directory.CreateTempSubdirectory("promoter-floor-").FullName;
        try
        {
            phases.Add(Compact(Path.Combine(directory, "compact.db"), data));
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }

        foreach (var p in phases)
        {
            log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"sqlite floor, {p.Schema,-7}: insert {p.InsertSeconds:0.00} s + indexes {p.IndexSeconds:0.00} s + commit {p.CommitSeconds:0.00} s = " +
                $"{p.TotalSeconds:0.00} s = {rows / p.TotalSeconds:N0} rows/s ({p.DatabaseBytes / 1e6:0} MB written)"));
        }

        return phases;
    }

    /// <summary>One response, with its keys and time already in both schemas' forms (the importer's reader thread does that work).</summary>
    private sealed record Row(int Score, string? Comment, string Language, string Properties, string TeamMember, string? Touchpoint)
    {
        public string? ContactText { get; init; }
        public byte[]? ContactBytes { get; init; }
        public required string RespondedText { get; init; }
        public long RespondedMicros { get; init; }
    }

    private static Row[] MakeRows(int count)
    {
        var random = new Random(7);
        var contacts = Enumerable.Range(0, Math.Max(1, count / 5)).Select(_ => Guid.NewGuid()).ToArray();
        var start = new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        var rows = new Row[count];
        for (var i = 0; i < count; i++)
        {
            Guid? contact = random.Next(10) < 7 ? contacts[random.Next(contacts.Length)] : null;
            var respondedAt = start.AddSeconds(random.NextInt64(700L * 86_400)).AddTicks(random.Next(10_000_000));
            rows[i] = new Row(
                random.Next(0, 11),
                random.Next(10) < 6 ? s_comments[random.Next(s_comments.Length)] : null,
                "en",
                "{\"plan\":\"pro\",\"region\":\"EMEA\"}",
                "alice",
                random.Next(4) == 0 ? null : "order delivered")
            {
                ContactText = contact is { } c ? (string)SqlValues.Id(DatabaseProvider.Sqlite, c) : null,
                ContactBytes = contact?.ToByteArray(),
                RespondedText = respondedAt.ToString(SqlValues.SqliteTimeFormat, CultureInfo.InvariantCulture),
                RespondedMicros = Micros(respondedAt),
            };
        }

        return rows;
    }

    /// <summary>The importer's SQLite work on the product's own schema.</summary>
    private static Phase Today(string path, Guid workspaceId, Guid surveyId, Row[] rows)
    {
        using var connection = Open(path);
        var db = connection.Handle!;
        var indexes = Count(db, "SELECT COUNT(*) FROM sqlite_master WHERE tbl_name = 'responses'");
        Exec(db, "BEGIN IMMEDIATE");
        var schema = new SqliteImportSchema(db);
        schema.DropTriggers();
        schema.DropIndexes();
        var workspace = (string)SqlValues.Id(DatabaseProvider.Sqlite, workspaceId);
        var survey = (string)SqlValues.Id(DatabaseProvider.Sqlite, surveyId);
        var now = TimeProvider.System.GetUtcNow().UtcDateTime.ToString(SqlValues.SqliteTimeFormat, CultureInfo.InvariantCulture);
        var utf8 = new SqliteUtf8Buffer();
        var started = Stopwatch.GetTimestamp();
        Insert(db, rows, (s, p, row) =>
        {
            Text(s, p + 1, workspace, utf8);
            Text(s, p + 2, survey, utf8);
            Text(s, p + 3, row.ContactText, utf8);
            raw.sqlite3_bind_int(s, p + 4, row.Score);
            Text(s, p + 5, row.Comment, utf8);
            Text(s, p + 6, row.Language, utf8);
            Text(s, p + 7, "import", utf8);
            Text(s, p + 8, "Final", utf8);
            raw.sqlite3_bind_int(s, p + 9, 0);
            Text(s, p + 10, row.Properties, utf8);
            Text(s, p + 11, row.TeamMember, utf8);
            Text(s, p + 12, row.Touchpoint, utf8);
            Text(s, p + 13, row.RespondedText, utf8);
            Text(s, p + 14, now, utf8);
            Text(s, p + 15, now, utf8);
            raw.sqlite3_bind_int(s, p + 16, 1);
        });
        var inserted = Stopwatch.GetTimestamp();
        schema.Restore(CancellationToken.None);
        var indexed = Stopwatch.GetTimestamp();
        Exec(db, "COMMIT");
        var committed = Stopwatch.GetTimestamp();
        Verify(db, rows.Length, indexes);
        return new Phase("today", Seconds(started, inserted), Seconds(inserted, indexed), Seconds(indexed, committed), WalBytes(path));
    }

    private static Phase Compact(string path, Row[] rows)
    {
        using var connection = Open(path);
        var db = connection.Handle!;
        Exec(db, CompactTable);
        var workspace = Guid.NewGuid().ToByteArray();
        var survey = Guid.NewGuid().ToByteArray();
        var now = Micros(TimeProvider.System.GetUtcNow().UtcDateTime);
        var utf8 = new SqliteUtf8Buffer();
        Exec(db, "BEGIN IMMEDIATE");
        var started = Stopwatch.GetTimestamp();
        Insert(db, rows, (s, p, row) =>
        {
            raw.sqlite3_bind_blob(s, p + 1, workspace);
            raw.sqlite3_bind_blob(s, p + 2, survey);
            if (row.ContactBytes is { } contact)
            {
                raw.sqlite3_bind_blob(s, p + 3, contact);
            }
            else
            {
                raw.sqlite3_bind_null(s, p + 3);
            }

            raw.sqlite3_bind_int(s, p + 4, row.Score);
            Text(s, p + 5, row.Comment, utf8);
            Text(s, p + 6, row.Language, utf8);
            Text(s, p + 7, "import", utf8);
            raw.sqlite3_bind_int(s, p + 8, 1);
            raw.sqlite3_bind_int(s, p + 9, 0);
            Text(s, p + 10, row.Properties, utf8);
            Text(s, p + 11, row.TeamMember, utf8);
            Text(s, p + 12, row.Touchpoint, utf8);
            raw.sqlite3_bind_int64(s, p + 13, row.RespondedMicros);
            raw.sqlite3_bind_int64(s, p + 14, now);
            raw.sqlite3_bind_int64(s, p + 15, now);
            raw.sqlite3_bind_int(s, p + 16, 1);
        });
        var inserted = Stopwatch.GetTimestamp();
        foreach (var index in s_compactIndexes)
        {
            Exec(db, index);
        }

        var indexed = Stopwatch.GetTimestamp();
        Exec(db, "COMMIT");
        var committed = Stopwatch.GetTimestamp();
        Verify(db, rows.Length, s_compactIndexes.Length + 3);
        return new Phase("compact", Seconds(started, inserted), Seconds(inserted, indexed), Seconds(indexed, committed), WalBytes(path));
    }

    /// <summary>
    /// On the database "today" just filled: the batch-send check "which of these 2,000 contacts responded lately",
    /// through the product's own query, without planner statistics and after <see cref="SqliteStatistics.RefreshAsync(DatabaseOptions, CancellationToken)"/>.
    /// </summary>
    private static async Task RecentRespondersAsync(Guid workspace, Row[] rows, TextWriter log, CancellationToken ct)
    {
        var contacts = rows.Where(r => r.ContactText is not null).Select(r => Guid.Parse(r.ContactText!)).Distinct().Take(2_000).ToList();
        var since = new DateTime(2025, 6, 1, 0, 0, 0, DateTimeKind.Utc);
        await using var host = await CliHost.StartAsync(ct, migrate: false);

        async Task<(double Ms, int Found)> TimeAsync()
        {
            await using var scope = host.CreateScope();
            scope.ServiceProvider.GetRequiredService<WorkspaceContext>().Enter(workspace);
            var db = scope.ServiceProvider.GetRequiredService<PromoterDb>();
            var started = Stopwatch.GetTimestamp();
            var found = await InvitationScheduler.RespondedSince(db, contacts, since).CountAsync(ct);
            return (Stopwatch.GetElapsedTime(started).TotalMilliseconds, found);
        }

        await TimeAsync(); // compiles the query
        var before = await TimeAsync();
        var refresh = Stopwatch.GetTimestamp();
        await SqliteStatistics.RefreshAsync(host.CreateScope().ServiceProvider.GetRequiredService<IOptions<DatabaseOptions>>().Value, ct);
        var refreshSeconds = Stopwatch.GetElapsedTime(refresh).TotalSeconds;
        var after = await TimeAsync();
        if (before.Found != after.Found)
        {
            throw new InvalidOperationException($"Recent responders: {before.Found} without statistics, {after.Found} with.");
        }

        log.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"recent responders among {contacts.Count:N0} contacts ({after.Found:N0} found) in {rows.Length:N0} responses: {before.Ms:0.0} ms without planner statistics, " +
            $"{after.Ms:0.0} ms with them (refresh {refreshSeconds:0.00} s)"));
    }

    private delegate void Binder(sqlite3_stmt statement, int firstParameter, Row row);

    private static void Insert(sqlite3 db, Row[] rows, Binder bind)
    {
        const string Columns = "INSERT INTO responses (workspace_id, survey_id, contact_id, score, comment, language, channel, status, " +
                               "implicitly_confirmed, properties, team_member, touchpoint, responded_at, created_at, updated_at, revision) VALUES ";
        var values = Enumerable.Range(0, RowsPerInsert).Select(r =>
            "(" + string.Join(", ", Enumerable.Range(1, ValuesPerRow).Select(v => "?" + ((r * ValuesPerRow) + v).ToString(CultureInfo.InvariantCulture))) + ")");
        SqliteException.ThrowExceptionForRC(raw.sqlite3_prepare_v2(db, Columns + string.Join(", ", values), out var many), db);
        SqliteException.ThrowExceptionForRC(raw.sqlite3_prepare_v2(db, Columns + values.First(), out var one), db);
        using (many)
        using (one)
        {
            var i = 0;
            for (; i + RowsPerInsert <= rows.Length; i += RowsPerInsert)
            {
                for (var r = 0; r < RowsPerInsert; r++)
                {
                    bind(many, r * ValuesPerRow, rows[i + r]);
                }

                Step(db, many);
            }

            for (; i < rows.Length; i++)
            {
                bind(one, 0, rows[i]);
                Step(db, one);
            }
        }
    }

    private static SqliteConnection Open(string path)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        SqliteDurability.Apply(connection);
        Exec(connection.Handle!, "PRAGMA journal_mode=WAL; " + ImportSink.SqliteImportPragmas);
        return connection;
    }

    private static void Text(sqlite3_stmt s, int index, string? value, SqliteUtf8Buffer utf8)
    {
        if (value is null)
        {
            raw.sqlite3_bind_null(s, index);
            return;
        }

        raw.sqlite3_bind_text(s, index, utf8.Encode(value));
    }

    private static void Step(sqlite3 db, sqlite3_stmt s)
    {
        var rc = raw.sqlite3_step(s);
        raw.sqlite3_reset(s);
        if (rc != raw.SQLITE_DONE)
        {
            SqliteException.ThrowExceptionForRC(rc, db);
        }
    }

    /// <summary>Every row stored, and the table has all its indexes and triggers again.</summary>
    private static void Verify(sqlite3 db, int rows, long schemaObjects)
    {
        if (Count(db, "SELECT COUNT(*) FROM responses") != rows || Count(db, "SELECT COUNT(*) FROM sqlite_master WHERE tbl_name = 'responses'") != schemaObjects)
        {
            throw new InvalidOperationException("The floor stored a different number of rows or schema objects than it was given.");
        }
    }

    private static long Count(sqlite3 db, string sql)
    {
        SqliteException.ThrowExceptionForRC(raw.sqlite3_prepare_v2(db, sql, out var statement), db);
        using (statement)
        {
            return raw.sqlite3_step(statement) == raw.SQLITE_ROW ? raw.sqlite3_column_int64(statement, 0) : -1;
        }
    }

    private static void Exec(sqlite3 db, string sql) => SqliteException.ThrowExceptionForRC(raw.sqlite3_exec(db, sql), db);

    private static long Micros(DateTime utc) => (utc - DateTime.UnixEpoch).Ticks / 10;

    private static double Seconds(long from, long to) => Stopwatch.GetElapsedTime(from, to).TotalSeconds;

    private static long WalBytes(string path) => File.Exists(path + "-wal") ? new FileInfo(path + "-wal").Length : 0;
}
