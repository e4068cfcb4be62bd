using System.Data.Common;
using System.Globalization;
using System.Runtime.InteropServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Options;
using Promoter.Core;
using Promoter.Core.Text;
using Promoter.Data;
using Promoter.Metrics;

namespace Promoter.Understand;

/// <summary>
/// Counts the terms and themes of stored responses: drains <c>text_queue</c> one workspace and up to
/// <see cref="Batch"/> queued responses per transaction. For each response it subtracts what its snapshot
/// (<see cref="IndexedResponse"/>, its terms and themes) had counted and adds what the response says now, so term and
/// theme counts always equal a recount of the snapshots, whichever write path changed the response and however often it
/// was queued. One transaction per batch, never one per response, and no tokenising on the request path. On PostgreSQL
/// an advisory lock serialises batches across nodes (a queued response is counted once); SQLite has one writer anyway.
/// </summary>
public sealed class TextIndexer(PromoterDb db, IOptions<DatabaseOptions> options, TermIds termIds)
{
    public const int Batch = 500;

    /// <summary>Held for the transaction by every writer of term and theme data (indexer, re-tagging, theme edits).</summary>
    public const long AdvisoryLockKey = 0x5445585449445831; // "TEXTIDX1"

    private DatabaseProvider Provider => options.Value.Provider;

    /// <summary>Indexes one batch of the oldest queued workspace; returns the queue rows it handled (0: nothing queued).</summary>
    public async Task<int> IndexNextBatchAsync(WorkspaceContext workspace, CancellationToken ct, int batch = Batch)
    {
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            await LockAsync(db, Provider, ct);
            var connection = db.Database.GetDbConnection();
            var transaction = tx.GetDbTransaction();
            Guid workspaceId;
            await using (var first = Command(connection, transaction, "SELECT workspace_id FROM text_queue ORDER BY id LIMIT 1"))
            {
                if (await first.ExecuteScalarAsync(ct) is not { } value || value is DBNull)
                {
                    await tx.CommitAsync(ct);
                    return 0;
                }

                workspaceId = ReadGuid(value);
            }

            workspace.Enter(workspaceId);
            var queueIds = new List<long>();
            var responseIds = new HashSet<long>();
            await using (var claim = Command(connection, transaction, "SELECT id, response_id FROM text_queue WHERE workspace_id = @ws ORDER BY id LIMIT @n"))
            {
                claim.Add("@ws", SqlValues.Id(Provider, workspaceId));
                claim.Add("@n", batch);
                await using var reader = await claim.ExecuteReaderAsync(ct);
                while (await reader.ReadAsync(ct))
                {
                    queueIds.Add(reader.GetInt64(0));
                    responseIds.Add(reader.GetInt64(1));
                }
            }

            var newTerms = await ReindexAsync(connection, transaction, workspaceId, responseIds.ToList(), ct);
            await using (var delete = Command(connection, transaction, $"DELETE FROM text_queue WHERE id IN ({string.Join(", ", queueIds)})"))
            {
                await delete.ExecuteNonQueryAsync(ct);
            }

            await tx.CommitAsync(ct);
            termIds.Remember(workspaceId, newTerms);
            return queueIds.Count;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>
    /// Takes the oldest queue row out of the queue without indexing it: the last resort for a response that fails on its own
    /// every time, so that one bad row cannot hold up every comment after it. Returns its response id.
    /// </summary>
    public async Task<long?> SkipOldestAsync(CancellationToken ct)
    {
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            await LockAsync(db, Provider, ct);
            await using var delete = Command(db.Database.GetDbConnection(), tx.GetDbTransaction(),
                "DELETE FROM text_queue WHERE id = (SELECT MIN(id) FROM text_queue) RETURNING response_id");
            var skipped = await delete.ExecuteScalarAsync(ct);
            await tx.CommitAsync(ct);
            return skipped is null or DBNull ? null : Convert.ToInt64(skipped, CultureInfo.InvariantCulture);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    public static async Task LockAsync(PromoterDb db, DatabaseProvider provider, CancellationToken ct)
    {
        if (provider == DatabaseProvider.Postgres)
        {
            await db.Database.ExecuteSqlRawAsync($"SELECT pg_advisory_xact_lock({AdvisoryLockKey})", ct);
        }
    }

    private sealed record Current(long Id, Guid SurveyId, short Score, bool Final, string? Comment, string Language, DateTime RespondedAt, string? Name, string? Email);

    private sealed record Snapshot(long Id, Guid SurveyId, string Language, short Score, DateTime RespondedAt);

    /// <summary>
    /// Brings the given responses' snapshots, terms and themes to what the responses say now (all in one workspace,
    /// inside the caller's transaction), and adjusts the term and theme counts by the difference.
    /// Returns the term ids it created, for the cache once the transaction commits.
    /// </summary>
    private async Task<Dictionary<(string Language, string Key), long>> ReindexAsync(DbConnection connection, DbTransaction transaction, Guid workspaceId,
        List<long> ids, CancellationToken ct)
    {
        var idList = string.Join(", ", ids);
        var current = new Dictionary<long, Current>();
        await using (var read = Command(connection, transaction,
                         "SELECT r.id, r.survey_id, r.score, r.status, r.comment, r.language, r.responded_at, c.name, c.email " +
                         $"FROM responses r LEFT JOIN contacts c ON c.id = r.contact_id WHERE r.id IN ({idList}) AND r.workspace_id = @ws"))
        {
            read.Add("@ws", SqlValues.Id(Provider, workspaceId));
            await using var reader = await read.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                var id = reader.GetInt64(0);
                current[id] = new Current(id, ReadGuid(reader.GetValue(1)), Convert.ToInt16(reader.GetValue(2), CultureInfo.InvariantCulture),
                    reader.GetString(3) == "Final", reader.IsDBNull(4) ? null : reader.GetString(4), reader.GetString(5), ReadTime(reader.GetValue(6)),
                    reader.IsDBNull(7) ? null : reader.GetString(7), reader.IsDBNull(8) ? null : reader.GetString(8));
            }
        }

        var snapshots = new Dictionary<long, Snapshot>();
        await using (var read = Command(connection, transaction,
                         $"SELECT response_id, survey_id, language, score, responded_at FROM indexed_responses WHERE response_id IN ({idList})"))
        {
            await using var reader = await read.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                var id = reader.GetInt64(0);
                snapshots[id] = new Snapshot(id, ReadGuid(reader.GetValue(1)), reader.GetString(2), Convert.ToInt16(reader.GetValue(3), CultureInfo.InvariantCulture),
                    ReadTime(reader.GetValue(4)));
            }
        }

        var oldTerms = await ReadPairsAsync(connection, transaction, $"SELECT response_id, term_id FROM response_terms WHERE response_id IN ({idList})", ct);
        var oldThemes = new Dictionary<long, List<Guid>>();
        await using (var read = Command(connection, transaction, $"SELECT response_id, theme_id FROM response_themes WHERE response_id IN ({idList})"))
        {
            await using var reader = await read.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                (CollectionsMarshal.GetValueRefOrAddDefault(oldThemes, reader.GetInt64(0), out _) ??= []).Add(ReadGuid(reader.GetValue(1)));
            }
        }

        var calendar = await ReadCalendarAsync(connection, transaction, Provider, workspaceId, ct);
        var themes = await ThemeIndex.ReadAsync(connection, transaction, Provider, workspaceId, ct);
        var counts = new TermCounts(workspaceId, calendar);
        var rollups = new RollupAccumulator(workspaceId);

        // Subtract what was counted.
        foreach (var (id, old) in snapshots)
        {
            counts.Touch(old.SurveyId, old.RespondedAt);
            var category = NpsCategories.Of(old.Score);
            if (oldTerms.TryGetValue(id, out var terms))
            {
                foreach (var termId in terms)
                {
                    counts.Add(old.SurveyId, old.RespondedAt, termId, old.Language, category, -1);
                }
            }

            if (oldThemes.TryGetValue(id, out var list))
            {
                var day = calendar.DayOf(old.RespondedAt);
                foreach (var theme in list)
                {
                    rollups.Add(old.SurveyId, day, old.Score, [(Rollup.Theme, ThemeIndex.Value(theme))], -1);
                }
            }
        }

        // Add what the responses say now.
        var analyzer = TextAnalyzer.Shared;
        var newSnapshots = new List<(Current Response, string Language)>();
        var newTermRows = new List<ResponseTerm>();
        var newThemeRows = new List<ResponseTheme>();
        var created = new Dictionary<(string Language, string Key), long>();
        var forms = new Dictionary<(long, string), long>();
        foreach (var r in current.Values)
        {
            if (!r.Final || string.IsNullOrWhiteSpace(r.Comment))
            {
                continue;
            }

            var language = TextLanguages.Resolve(r.Language, r.Comment);
            var terms = analyzer.Terms(r.Comment, language, ExcludedWords(r.Name, r.Email));
            newSnapshots.Add((r, language));
            counts.Touch(r.SurveyId, r.RespondedAt);
            var category = NpsCategories.Of(r.Score);
            var themeIds = new HashSet<Guid>();
            foreach (var term in terms)
            {
                if (term.Key.Length > TermEntry.MaxKeyLength || term.Surface.Length > TermEntry.MaxKeyLength)
                {
                    continue;
                }

                var termId = await termIds.GetOrCreateAsync(connection, transaction, Provider, workspaceId, language, term, created, ct);
                newTermRows.Add(new ResponseTerm { ResponseId = r.Id, TermId = termId });
                counts.Add(r.SurveyId, r.RespondedAt, termId, language, category, +1);
                CollectionsMarshal.GetValueRefOrAddDefault(forms, (termId, term.Surface), out _)++;
                themes.Match(language, term.Key, themeIds);
            }

            var day = calendar.DayOf(r.RespondedAt);
            foreach (var theme in themeIds)
            {
                newThemeRows.Add(new ResponseTheme { ResponseId = r.Id, ThemeId = theme });
                rollups.Add(r.SurveyId, day, r.Score, [(Rollup.Theme, ThemeIndex.Value(theme))], +1);
            }
        }

        // Replace the snapshots.
        await ExecuteAsync(connection, transaction, $"DELETE FROM response_terms WHERE response_id IN ({idList})", ct);
        await ExecuteAsync(connection, transaction, $"DELETE FROM response_themes WHERE response_id IN ({idList})", ct);
        await ExecuteAsync(connection, transaction, $"DELETE FROM indexed_responses WHERE response_id IN ({idList})", ct);
        await InsertSnapshotsAsync(connection, transaction, workspaceId, newSnapshots, ct);
        await db.BulkInsertAsync(newTermRows, ct);
        await db.BulkInsertAsync(newThemeRows, ct);
        await counts.FlushAsync(connection, transaction, Provider, ct);
        await rollups.FlushAsync(connection, transaction, Provider, ct);
        await AddFormsAsync(connection, transaction, forms, ct);
        return created;
    }

    /// <summary>Names and the e-mail's local part from the contact record never become terms (the bench's recount uses this too).</summary>
    public static string[] ExcludedWords(string? name, string? email)
    {
        var words = new List<string>();
        if (!string.IsNullOrWhiteSpace(name))
        {
            words.AddRange(name.Split([' ', '-', '.', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        }

        if (email is { Length: > 0 } && email.IndexOf('@', StringComparison.Ordinal) is > 0 and var at)
        {
            words.AddRange(email[..at].Split(['.', '_', '-', '+'], StringSplitOptions.RemoveEmptyEntries));
        }

        return [.. words];
    }

    private async Task InsertSnapshotsAsync(DbConnection connection, DbTransaction transaction, Guid workspaceId, List<(Current Response, string Language)> rows,
        CancellationToken ct)
    {
        if (rows.Count == 0)
        {
            return;
        }

        await using var insert = Command(connection, transaction,
            "INSERT INTO indexed_responses (response_id, workspace_id, survey_id, language, score, responded_at, comment_length) " +
            "VALUES (@id, @ws, @survey, @language, @score, @at, @length)");
        var id = insert.Add("@id", null);
        insert.Add("@ws", SqlValues.Id(Provider, workspaceId));
        var survey = insert.Add("@survey", null);
        var language = insert.Add("@language", null);
        var score = insert.Add("@score", null);
        var at = insert.Add("@at", null);
        var length = insert.Add("@length", null);
        foreach (var (r, l) in rows)
        {
            id.Value = r.Id;
            survey.Value = SqlValues.Id(Provider, r.SurveyId);
            language.Value = l;
            score.Value = r.Score;
            at.Value = SqlValues.Time(Provider, r.RespondedAt);
            length.Value = r.Comment!.Length;
            await insert.ExecuteNonQueryAsync(ct);
        }
    }

    private static async Task AddFormsAsync(DbConnection connection, DbTransaction transaction, Dictionary<(long, string), long> forms, CancellationToken ct)
    {
        if (forms.Count == 0)
        {
            return;
        }

        await using var upsert = Command(connection, transaction,
            "INSERT INTO term_forms (term_id, surface, count) VALUES (@term, @surface, @n) " +
            "ON CONFLICT (term_id, surface) DO UPDATE SET count = term_forms.count + excluded.count");
        var term = upsert.Add("@term", null);
        var surface = upsert.Add("@surface", null);
        var n = upsert.Add("@n", null);
        foreach (var ((termId, text), count) in forms)
        {
            term.Value = termId;
            surface.Value = text;
            n.Value = count;
            await upsert.ExecuteNonQueryAsync(ct);
        }
    }

    internal static async Task<WorkspaceCalendar> ReadCalendarAsync(DbConnection connection, DbTransaction? transaction, DatabaseProvider provider, Guid workspaceId,
        CancellationToken ct)
    {
        await using var command = Command(connection, transaction, "SELECT from_unix, offset_seconds FROM tz_offsets WHERE workspace_id = @ws ORDER BY from_unix");
        command.Add("@ws", SqlValues.Id(provider, workspaceId));
        var transitions = new List<(long, int)>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            transitions.Add((reader.GetInt64(0), reader.GetInt32(1)));
        }

        return transitions.Count == 0 ? WorkspaceCalendar.Utc : new WorkspaceCalendar(transitions);
    }

    internal static async Task<Dictionary<long, List<long>>> ReadPairsAsync(DbConnection connection, DbTransaction transaction, string sql, CancellationToken ct)
    {
        var result = new Dictionary<long, List<long>>();
        await using var read = Command(connection, transaction, sql);
        await using var reader = await read.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            (CollectionsMarshal.GetValueRefOrAddDefault(result, reader.GetInt64(0), out _) ??= []).Add(reader.GetInt64(1));
        }

        return result;
    }

    internal static DbCommand Command(DbConnection connection, DbTransaction? transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }

    internal static async Task ExecuteAsync(DbConnection connection, DbTransaction transaction, string sql, CancellationToken ct)
    {
        await using var command = Command(connection, transaction, sql);
        await command.ExecuteNonQueryAsync(ct);
    }

    internal static Guid ReadGuid(object value) => value is Guid g ? g : Guid.Parse((string)value, CultureInfo.InvariantCulture);

    internal static DateTime ReadTime(object value) => value is DateTime t
        ? DateTime.SpecifyKind(t, DateTimeKind.Utc)
        : DateTime.SpecifyKind(DateTime.ParseExact((string)value, SqlValues.SqliteTimeFormat, CultureInfo.InvariantCulture), DateTimeKind.Utc);
}

/// <summary>
/// Term count deltas of one batch, by survey, day (and month), term and category; added to <c>term_rollups</c> at flush,
/// with the version of every month whose snapshots the batch touched bumped in <c>term_months</c>.
/// </summary>
internal sealed class TermCounts(Guid workspaceId, WorkspaceCalendar calendar)
{
    private readonly Dictionary<(Guid Survey, int Day, long Term), (string Language, long[] Counts)> _daily = [];
    private readonly HashSet<(Guid Survey, int Month)> _months = [];

    /// <summary>A snapshot in this month is added, removed or changed: its cached copies are stale.</summary>
    public void Touch(Guid surveyId, DateTime respondedAt) => _months.Add((surveyId, WorkspaceCalendar.MonthStart(calendar.DayOf(respondedAt))));

    public void Add(Guid surveyId, DateTime respondedAt, long termId, string language, NpsCategory category, int delta)
    {
        ref var entry = ref CollectionsMarshal.GetValueRefOrAddDefault(_daily, (surveyId, calendar.DayOf(respondedAt), termId), out var exists);
        if (!exists)
        {
            entry = (language, new long[3]);
        }

        entry.Counts[(int)category] += delta;
    }

    public async Task FlushAsync(DbConnection connection, DbTransaction transaction, DatabaseProvider provider, CancellationToken ct)
    {
        if (_months.Count > 0)
        {
            await using var bump = TextIndexer.Command(connection, transaction,
                "INSERT INTO term_months (workspace_id, survey_id, month, version) VALUES (@ws, @survey, @month, 1) " +
                "ON CONFLICT (workspace_id, survey_id, month) DO UPDATE SET version = term_months.version + 1");
            bump.Add("@ws", SqlValues.Id(provider, workspaceId));
            var survey = bump.Add("@survey", null);
            var month = bump.Add("@month", null);
            foreach (var (s, m) in _months)
            {
                survey.Value = SqlValues.Id(provider, s);
                month.Value = m;
                await bump.ExecuteNonQueryAsync(ct);
            }
        }

        if (_daily.Count == 0)
        {
            return;
        }

        var monthly = new Dictionary<(Guid, int, long), (string Language, long[] Counts)>();
        foreach (var ((survey, day, term), (language, counts)) in _daily)
        {
            ref var month = ref CollectionsMarshal.GetValueRefOrAddDefault(monthly, (survey, WorkspaceCalendar.MonthStart(day), term), out var exists);
            if (!exists)
            {
                month = (language, new long[3]);
            }

            for (var i = 0; i < 3; i++)
            {
                month.Counts[i] += counts[i];
            }
        }

        await using var upsert = TextIndexer.Command(connection, transaction,
            "INSERT INTO term_rollups (workspace_id, survey_id, monthly, day, term_id, language, detractors, passives, promoters) " +
            "VALUES (@ws, @survey, @monthly, @day, @term, @language, @d, @p, @r) " +
            "ON CONFLICT (workspace_id, survey_id, monthly, day, term_id) DO UPDATE SET detractors = term_rollups.detractors + excluded.detractors, " +
            "passives = term_rollups.passives + excluded.passives, promoters = term_rollups.promoters + excluded.promoters");
        upsert.Add("@ws", SqlValues.Id(provider, workspaceId));
        var surveyParameter = upsert.Add("@survey", null);
        var monthlyParameter = upsert.Add("@monthly", null);
        var dayParameter = upsert.Add("@day", null);
        var termParameter = upsert.Add("@term", null);
        var languageParameter = upsert.Add("@language", null);
        var d = upsert.Add("@d", null);
        var p = upsert.Add("@p", null);
        var r = upsert.Add("@r", null);

        async Task WriteAsync(bool isMonthly, (Guid Survey, int Day, long Term) key, string language, long[] counts)
        {
            if (counts[0] == 0 && counts[1] == 0 && counts[2] == 0)
            {
                return;
            }

            surveyParameter.Value = SqlValues.Id(provider, key.Survey);
            monthlyParameter.Value = SqlValues.Bool(provider, isMonthly);
            dayParameter.Value = key.Day;
            termParameter.Value = key.Term;
            languageParameter.Value = language;
            d.Value = counts[(int)NpsCategory.Detractor];
            p.Value = counts[(int)NpsCategory.Passive];
            r.Value = counts[(int)NpsCategory.Promoter];
            await upsert.ExecuteNonQueryAsync(ct);
        }

        foreach (var (key, (language, counts)) in _daily)
        {
            await WriteAsync(false, key, language, counts);
        }

        foreach (var (key, (language, counts)) in monthly)
        {
            await WriteAsync(true, key, language, counts);
        }
    }
}
