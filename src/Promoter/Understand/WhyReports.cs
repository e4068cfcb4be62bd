using System.Data.Common;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Options;
using Promoter.Core;
using Promoter.Core.Statistics;
using Promoter.Data;
using Promoter.Metrics;

namespace Promoter.Understand;

public enum WordsCompare
{
    /// <summary>Detractors (0–6) against promoters (9–10): the default.</summary>
    DetractorsPromoters,

    /// <summary>Passives (7–8) against detractors and promoters together.</summary>
    PassivesRest,

    /// <summary>Each category against all responses (tidylo's empirical-Bayes form).</summary>
    Each,
}

public sealed record WordExample(long ResponseId, int Score, string Comment, DateTime RespondedAt);

/// <summary>
/// One term of the Why section. <c>Counts</c> are responses whose comment has the term, per group; δ is the weighted
/// log-odds (positive: leans to the first group, or to <c>Category</c> for "each"), σ its standard error, ζ = δ/σ.
/// </summary>
public sealed record WordTerm(string Term, string Key, string Language, IReadOnlyDictionary<string, long> Counts, double Delta, double Sigma, double Zeta,
    bool Significant, string? Category, IReadOnlyList<WordExample>? Examples);

public sealed record WordsReport(string Compare, string Prior, double PriorStrength, double Alpha, long MinCount, string? Language, DateOnly? From, DateOnly? To,
    IReadOnlyDictionary<string, long> Responses, long Vocabulary, IReadOnlyList<WordTerm> Terms);

public sealed record ThemeRow(Guid Id, string Name, NpsSummary Summary, double? Share, double? Impact, IntervalDto? ImpactInterval, double? NpsWithout);

public sealed record ThemesReport(DateOnly? From, DateOnly? To, NpsSummary Total, IReadOnlyList<ThemeRow> Themes);

/// <summary>
/// The Why section's numbers. Term counts come from <c>term_rollups</c> (whole months from the monthly rows, partial
/// months from the daily rows) when only the survey, the dates and the language narrow the view; any other dashboard filter
/// counts the stored terms of the matching responses instead. Comments are never tokenised here.
/// </summary>
public sealed class WhyReports(PromoterDb db, IOptions<DatabaseOptions> options, MetricsEngine engine, TermCountCache cache)
{
    public const int MaxLimit = 200;
    public const int ExamplesPerTerm = 3;

    /// <summary>The newest comments with a term that its examples are chosen from (shortest first).</summary>
    public const int ExampleCandidates = 50;

    private DatabaseProvider Provider => options.Value.Provider;

    public async Task<WordsReport> WordsAsync(MetricsQuery q, string? language, WordsCompare compare, KeynessOptions keyness, int limit, bool examples,
        CancellationToken ct)
    {
        keyness.Validate();
        using var table = await TermCountsAsync(q.Filter, language, ct);
        var groups = compare switch
        {
            WordsCompare.DetractorsPromoters => new[] { "detractors", "promoters" },
            WordsCompare.PassivesRest => ["passives", "rest"],
            _ => ["detractors", "passives", "promoters"],
        };

        var counts = table.Counts;
        var ids = table.Slots.Ids;
        var selected = new List<(long TermId, WordTerm Term, NpsCategory[] Categories)>();
        var vocabulary = 0L;
        if (compare == WordsCompare.Each)
        {
            Span<double> totals = stackalloc double[3];
            for (var s = 0; s < table.Slots.Count; s++)
            {
                var pooled = counts[3 * s] + counts[(3 * s) + 1] + counts[(3 * s) + 2];
                vocabulary += pooled > 0 ? 1 : 0;
                for (var c = 0; c < 3; c++)
                {
                    totals[c] += counts[(3 * s) + c];
                }
            }

            var candidates = new List<int>();
            if (vocabulary >= 2)
            {
                for (var s = 0; s < table.Slots.Count; s++)
                {
                    if (counts[3 * s] + counts[(3 * s) + 1] + counts[(3 * s) + 2] >= keyness.MinCount)
                    {
                        candidates.Add(s);
                    }
                }
            }

            foreach (var category in new[] { NpsCategory.Detractor, NpsCategory.Passive, NpsCategory.Promoter })
            {
                var c = (int)category;
                var top = new TopTerms(limit);
                foreach (var slot in candidates)
                {
                    var (delta, sigma, zeta) = Keyness.EachTerm(counts.AsSpan(3 * slot, 3), c, totals);
                    top.Offer(slot, ids[slot], delta, sigma, zeta, zeta);
                }

                foreach (var t in top.Best())
                {
                    var named = Named(groups, counts.AsSpan(3 * t.Slot, 3));
                    selected.Add((ids[t.Slot], new WordTerm("", "", "", named, t.Delta, t.Sigma, t.Zeta, Math.Abs(t.Zeta) > Keyness.SignificantZeta, groups[c], null),
                        [category]));
                }
            }
        }
        else
        {
            var (first, second) = compare == WordsCompare.DetractorsPromoters
                ? (new[] { NpsCategory.Detractor }, new[] { NpsCategory.Promoter })
                : (new[] { NpsCategory.Passive }, new[] { NpsCategory.Detractor, NpsCategory.Promoter });
            (long I, long J) Pick(int s) => compare == WordsCompare.DetractorsPromoters
                ? (counts[3 * s], counts[(3 * s) + 2])
                : (counts[(3 * s) + 1], counts[3 * s] + counts[(3 * s) + 2]);

            double totalI = 0, totalJ = 0;
            for (var s = 0; s < table.Slots.Count; s++)
            {
                var (i, j) = Pick(s);
                totalI += i;
                totalJ += j;
                vocabulary += i + j > 0 ? 1 : 0;
            }

            // The terms that lean most to each side: the first group's by ζ descending, the second's by ζ ascending. Only the
            // best `limit` of each side are kept (a bounded heap), not a sort of every candidate.
            var firstSide = new TopTerms(limit);
            var secondSide = new TopTerms(limit);
            if (totalI > 0 && totalJ > 0)
            {
                var totals = new KeynessTotals(totalI, totalJ, vocabulary);
                for (var s = 0; s < table.Slots.Count; s++)
                {
                    var (i, j) = Pick(s);
                    if (i + j >= keyness.MinCount)
                    {
                        var (delta, sigma, zeta) = Keyness.TwoGroupsTerm(i, j, totals, keyness);
                        if (zeta > 0)
                        {
                            firstSide.Offer(s, ids[s], delta, sigma, zeta, zeta);
                        }
                        else if (zeta < 0)
                        {
                            secondSide.Offer(s, ids[s], delta, sigma, zeta, -zeta);
                        }
                    }
                }
            }

            foreach (var (t, side, categories) in firstSide.Best().Select(t => (t, 0, first)).Concat(secondSide.Best().Select(t => (t, 1, second))))
            {
                var (i, j) = Pick(t.Slot);
                var named = new Dictionary<string, long>(StringComparer.Ordinal) { [groups[0]] = i, [groups[1]] = j };
                selected.Add((ids[t.Slot], new WordTerm("", "", "", named, t.Delta, t.Sigma, t.Zeta, Math.Abs(t.Zeta) > Keyness.SignificantZeta, groups[side], null),
                    categories));
            }
        }

        var names = await TermNamesAsync(selected.Select(s => s.TermId).Distinct().ToList(), ct);
        var found = examples ? await ExamplesAsync(q.Filter, selected.Select(s => (s.TermId, s.Categories)).ToList(), ct) : null;
        var terms = new List<WordTerm>(selected.Count);
        foreach (var (id, term, categories) in selected)
        {
            var (surface, key, termLanguage) = names[id];
            terms.Add(term with
            {
                Term = surface,
                Key = key,
                Language = termLanguage,
                Examples = found is null ? null : found.GetValueOrDefault((id, categories[0]), []),
            });
        }

        var responses = new Dictionary<string, long>(StringComparer.Ordinal)
        {
            ["detractors"] = table.Responses[0], ["passives"] = table.Responses[1], ["promoters"] = table.Responses[2],
        };
        return new WordsReport(compare switch { WordsCompare.DetractorsPromoters => "detractors-promoters", WordsCompare.PassivesRest => "passives-rest", _ => "each" },
            keyness.Prior == KeynessPrior.Informative ? "informative" : "uniform", keyness.PriorStrength, keyness.Alpha, keyness.MinCount, language, q.From, q.To,
            responses, vocabulary, terms);
    }

    private static Dictionary<string, long> Named(string[] groups, ReadOnlySpan<long> counts)
    {
        var named = new Dictionary<string, long>(StringComparer.Ordinal);
        for (var i = 0; i < groups.Length; i++)
        {
            named[groups[i]] = counts[i];
        }

        return named;
    }

    /// <summary>
    /// Term counts of the view: <c>Counts[3s..3s+2]</c> are the detractor, passive and promoter counts of the term in slot s
    /// (<c>Slots.Ids[s]</c>); <c>Responses</c> the commented responses per category.
    /// </summary>
    private sealed record TermTable(TermSlotsSnapshot Slots, long[] Counts, long[] Responses) : IDisposable
    {
        /// <summary>
        /// A cleared array of at least <paramref name="length"/> from the shared pool: at 1,000,000 comments the counts of a
        /// view are ~20 MB, and a fresh array per request kept the garbage collector busy with full collections.
        /// </summary>
        public static long[] Rent(int length)
        {
            var array = System.Buffers.ArrayPool<long>.Shared.Rent(Math.Max(1, length));
            Array.Clear(array, 0, length);
            return array;
        }

        public void Dispose() => System.Buffers.ArrayPool<long>.Shared.Return(Counts);
    }

    /// <summary>
    /// When only the survey, the dates and the language narrow the view, whole months come from <see cref="TermCountCache"/>
    /// (checked against <c>term_months</c>, loaded from the monthly <c>term_rollups</c> rows when stale) and partial months
    /// from the daily rows; any other dashboard filter counts the stored terms of the matching responses instead.
    /// </summary>
    private async Task<TermTable> TermCountsAsync(MetricsFilter filter, string? language, CancellationToken ct)
    {
        if (filter.Dimensions.Count > 0)
        {
            return await FilteredTermCountsAsync(filter, language, ct);
        }

        var workspaceId = db.Workspace.RequiredWorkspaceId;
        var slots = cache.SlotsOf(workspaceId);
        var calendar = await engine.CalendarAsync(ct);
        var parts = new List<(MonthCounts Copy, int From, int To)>();
        foreach (var surveyId in filter.SurveyIds)
        {
            foreach (var (monthly, from, to) in WorkspaceCalendar.MonthlySegments(filter.FromDay, filter.ToDay))
            {
                if (monthly)
                {
                    foreach (var copy in await MonthsAsync(surveyId, from, to, daily: false, slots, calendar, ct))
                    {
                        parts.Add((copy, int.MinValue, int.MaxValue));
                    }
                }
                else
                {
                    // A partial month (or two): the month's daily copy, summed over the days in the view.
                    foreach (var copy in await MonthsAsync(surveyId, WorkspaceCalendar.MonthStart(from!.Value), WorkspaceCalendar.MonthStart(to!.Value), daily: true, slots,
                                 calendar, ct))
                    {
                        parts.Add((copy, from.Value, to.Value));
                    }
                }
            }
        }

        // Every slot used above exists in this snapshot: slots are only added, and months are stored after their slots.
        var snapshot = slots.Snapshot();
        var counts = TermTable.Rent(3 * snapshot.Count);
        var responses = new long[3];
        var code = language is null ? -1 : snapshot.CodeOf(language);
        var languageOf = snapshot.LanguageOf;
        foreach (var (copy, from, to) in parts)
        {
            var monthSlots = copy.Slots;
            var monthCounts = copy.Counts;
            var days = copy.Days;
            for (var e = 0; e < monthSlots.Length; e++)
            {
                var slot = monthSlots[e];
                if ((language is not null && languageOf[slot] != code) || (days is not null && (days[e] < from || days[e] > to)))
                {
                    continue;
                }

                counts[3 * slot] += monthCounts[3 * e];
                counts[(3 * slot) + 1] += monthCounts[(3 * e) + 1];
                counts[(3 * slot) + 2] += monthCounts[(3 * e) + 2];
            }

            foreach (var ((day, lang), c) in copy.Responses)
            {
                if ((language is null || lang == language) && (day is null || (day >= from && day <= to)))
                {
                    for (var i = 0; i < 3; i++)
                    {
                        responses[i] += c[i];
                    }
                }
            }
        }

        return new TermTable(snapshot, counts, responses);
    }

    /// <summary>
    /// The copies of the months from <paramref name="first"/> to <paramref name="last"/> (first days; open ends: as far as
    /// there are comments): whole-month totals, or with <paramref name="daily"/> the month's days apart.
    /// </summary>
    private async Task<List<MonthCounts>> MonthsAsync(Guid surveyId, int? first, int? last, bool daily, TermSlots slots, WorkspaceCalendar calendar,
        CancellationToken ct)
    {
        var workspaceId = db.Workspace.RequiredWorkspaceId;
        var result = new List<MonthCounts>();
        if (first is null || last is null)
        {
            await using var command = await CommandAsync(ct);
            command.CommandText = "SELECT MIN(responded_at), MAX(responded_at) FROM indexed_responses WHERE workspace_id = @ws AND survey_id = @survey";
            command.Add("@ws", SqlValues.Id(Provider, workspaceId));
            command.Add("@survey", SqlValues.Id(Provider, surveyId));
            await using var reader = await command.ExecuteReaderAsync(ct);
            if (!await reader.ReadAsync(ct) || reader.IsDBNull(0))
            {
                return result;
            }

            first ??= WorkspaceCalendar.MonthStart(calendar.DayOf(TextIndexer.ReadTime(reader.GetValue(0))));
            last ??= WorkspaceCalendar.MonthStart(calendar.DayOf(TextIndexer.ReadTime(reader.GetValue(1))));
        }

        var versions = new Dictionary<int, long>();
        await using (var command = await CommandAsync(ct))
        {
            command.CommandText = "SELECT month, version FROM term_months WHERE workspace_id = @ws AND survey_id = @survey AND month BETWEEN @first AND @last";
            command.Add("@ws", SqlValues.Id(Provider, workspaceId));
            command.Add("@survey", SqlValues.Id(Provider, surveyId));
            command.Add("@first", first.Value);
            command.Add("@last", last.Value);
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                versions[Convert.ToInt32(reader.GetValue(0), CultureInfo.InvariantCulture)] = Long(reader.GetValue(1));
            }
        }

        for (var month = first.Value; month <= last.Value; month = WorkspaceCalendar.NextMonth(month))
        {
            var version = versions.GetValueOrDefault(month);
            var found = cache.Get(workspaceId, surveyId, month, daily, version);
            if (found is null)
            {
                // The version was read before the rows: if the indexer changes the month meanwhile, the copy is at least as new as
                // its version says, and the next request sees a newer version and loads it again.
                found = await LoadMonthAsync(surveyId, month, daily, version, slots, calendar, ct);
                cache.Store(workspaceId, surveyId, month, daily, found);
            }

            result.Add(found);
        }

        return result;
    }

    private async Task<MonthCounts> LoadMonthAsync(Guid surveyId, int month, bool daily, long version, TermSlots slots, WorkspaceCalendar calendar,
        CancellationToken ct)
    {
        var entrySlots = new List<int>();
        var entryCounts = new List<int>();
        var entryDays = daily ? new List<int>() : null;
        var next = WorkspaceCalendar.NextMonth(month);
        await using (var command = await CommandAsync(ct))
        {
            command.CommandText = "SELECT term_id, language, detractors, passives, promoters, day FROM term_rollups " +
                                  "WHERE workspace_id = @ws AND survey_id = @survey AND monthly = @monthly AND day >= @month AND day < @next";
            command.Add("@ws", SqlValues.Id(Provider, db.Workspace.RequiredWorkspaceId));
            command.Add("@survey", SqlValues.Id(Provider, surveyId));
            command.Add("@monthly", SqlValues.Bool(Provider, !daily));
            command.Add("@month", month);
            command.Add("@next", next);
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                var (d, p, r) = (Long(reader.GetValue(2)), Long(reader.GetValue(3)), Long(reader.GetValue(4)));
                if (d == 0 && p == 0 && r == 0)
                {
                    // A term whose responses in this month all changed or went away keeps a row of zeros.
                    continue;
                }

                entrySlots.Add(slots.SlotOf(reader.GetInt64(0), reader.GetString(1)));
                entryCounts.Add(checked((int)d));
                entryCounts.Add(checked((int)p));
                entryCounts.Add(checked((int)r));
                entryDays?.Add(reader.GetInt32(5));
            }
        }

        // Commented responses per language and category (and per local day for a daily copy).
        var responses = new Dictionary<(int?, string), long[]>();
        await using (var command = await CommandAsync(ct))
        {
            command.CommandText = "SELECT language, score, responded_at FROM indexed_responses WHERE workspace_id = @ws AND survey_id = @survey " +
                                  "AND responded_at >= @from AND responded_at < @to";
            command.Add("@ws", SqlValues.Id(Provider, db.Workspace.RequiredWorkspaceId));
            command.Add("@survey", SqlValues.Id(Provider, surveyId));
            command.Add("@from", SqlValues.Time(Provider, calendar.StartOf(month)));
            command.Add("@to", SqlValues.Time(Provider, calendar.StartOf(next)));
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                int? day = daily ? calendar.DayOf(TextIndexer.ReadTime(reader.GetValue(2))) : null;
                var row = CollectionsMarshal.GetValueRefOrAddDefault(responses, (day, reader.GetString(0)), out _) ??= new long[3];
                row[(int)NpsCategories.Of(Convert.ToInt32(reader.GetValue(1), CultureInfo.InvariantCulture))]++;
            }
        }

        return new MonthCounts(version, [.. entrySlots], [.. entryCounts], entryDays?.ToArray(), responses);
    }

    /// <summary>Any dashboard filter beyond survey, dates and language: the stored terms of the matching responses, counted in SQL.</summary>
    private async Task<TermTable> FilteredTermCountsAsync(MetricsFilter filter, string? language, CancellationToken ct)
    {
        var calendar = await engine.CalendarAsync(ct);
        var slots = new TermSlots();
        var rows = new List<(int Slot, int Category, long N)>();
        await using (var command = await CommandAsync(ct))
        {
            var sql = new StringBuilder("SELECT rt.term_id, ir.score, COUNT(*) FROM indexed_responses ir JOIN response_terms rt ON rt.response_id = ir.response_id " +
                                        "JOIN responses r ON r.id = ir.response_id WHERE ");
            AppendScope(sql, command, filter, calendar, language);
            sql.Append(MetricsEngine.FilterSql(filter, Provider, command, "r.")).Append(" GROUP BY rt.term_id, ir.score");
            command.CommandText = sql.ToString();
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                // The language is already filtered in SQL; the slots here serve this request only.
                rows.Add((slots.SlotOf(reader.GetInt64(0), ""), (int)NpsCategories.Of(Convert.ToInt32(reader.GetValue(1), CultureInfo.InvariantCulture)), reader.GetInt64(2)));
            }
        }

        var responses = new long[3];
        await using (var command = await CommandAsync(ct))
        {
            var sql = new StringBuilder("SELECT ir.score, COUNT(*) FROM indexed_responses ir JOIN responses r ON r.id = ir.response_id WHERE ");
            AppendScope(sql, command, filter, calendar, language);
            sql.Append(MetricsEngine.FilterSql(filter, Provider, command, "r.")).Append(" GROUP BY ir.score");
            command.CommandText = sql.ToString();
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                responses[(int)NpsCategories.Of(Convert.ToInt32(reader.GetValue(0), CultureInfo.InvariantCulture))] += reader.GetInt64(1);
            }
        }

        var snapshot = slots.Snapshot();
        var counts = TermTable.Rent(3 * snapshot.Count);
        foreach (var (slot, category, n) in rows)
        {
            counts[(3 * slot) + category] += n;
        }

        return new TermTable(snapshot, counts, responses);
    }

    private static long Long(object value) => Convert.ToInt64(value, CultureInfo.InvariantCulture);

    /// <summary>"ir.workspace_id = … AND survey AND time range [AND language]" on the indexed responses.</summary>
    private void AppendScope(StringBuilder sql, DbCommand command, MetricsFilter filter, WorkspaceCalendar calendar, string? language)
    {
        sql.Append("ir.workspace_id = @ws");
        command.Add("@ws", SqlValues.Id(Provider, db.Workspace.RequiredWorkspaceId));
        AppendSurveys(sql, command, filter, "ir.");
        if (filter.FromDay is { } from)
        {
            sql.Append(" AND ir.responded_at >= @fromTime");
            command.Add("@fromTime", SqlValues.Time(Provider, calendar.StartOf(from)));
        }

        if (filter.ToDay is { } to)
        {
            sql.Append(" AND ir.responded_at < @toTime");
            command.Add("@toTime", SqlValues.Time(Provider, calendar.StartOf(to + 1)));
        }

        if (language is not null)
        {
            sql.Append(" AND ir.language = @language");
            command.Add("@language", language);
        }
    }

    private void AppendSurveys(StringBuilder sql, DbCommand command, MetricsFilter filter, string alias)
    {
        sql.Append(CultureInfo.InvariantCulture, $" AND {alias}survey_id IN (");
        for (var i = 0; i < filter.SurveyIds.Count; i++)
        {
            sql.Append(i == 0 ? "" : ", ").Append(CultureInfo.InvariantCulture, $"@s{i}");
            command.Add($"@s{i}", SqlValues.Id(Provider, filter.SurveyIds[i]));
        }

        sql.Append(')');
    }

    /// <summary>Each term's most frequent surface form, its key and language.</summary>
    private async Task<Dictionary<long, (string Surface, string Key, string Language)>> TermNamesAsync(List<long> ids, CancellationToken ct)
    {
        var result = new Dictionary<long, (string, string, string)>();
        if (ids.Count == 0)
        {
            return result;
        }

        var list = string.Join(", ", ids);
        var surfaces = new Dictionary<long, (string Surface, long Count)>();
        await using (var command = await CommandAsync(ct))
        {
            command.CommandText = $"SELECT term_id, surface, count FROM term_forms WHERE term_id IN ({list})";
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                var (term, surface, count) = (reader.GetInt64(0), reader.GetString(1), reader.GetInt64(2));
                if (!surfaces.TryGetValue(term, out var best) || count > best.Count || (count == best.Count && string.CompareOrdinal(surface, best.Surface) < 0))
                {
                    surfaces[term] = (surface, count);
                }
            }
        }

        await using (var command = await CommandAsync(ct))
        {
            command.CommandText = $"SELECT id, key, language FROM terms WHERE workspace_id = @ws AND id IN ({list})";
            command.Add("@ws", SqlValues.Id(Provider, db.Workspace.RequiredWorkspaceId));
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                var id = reader.GetInt64(0);
                var key = reader.GetString(1);
                result[id] = (surfaces.TryGetValue(id, out var s) ? s.Surface : key, key, reader.GetString(2));
            }
        }

        return result;
    }

    /// <summary>
    /// Up to three comments of the group with the term, shortest first, among the <see cref="ExampleCandidates"/> newest
    /// ones in the view. Finding the three shortest of all meant reading every response with the term in the range, once
    /// per term shown: 14 ms per term on 20,000 responses, growing with the range. Walking the term's own index newest first
    /// (CROSS JOIN keeps SQLite's join order; PostgreSQL plans it freely) stops after the candidates, whatever the size.
    /// </summary>
    private async Task<Dictionary<(long TermId, NpsCategory First), List<WordExample>>> ExamplesAsync(MetricsFilter filter,
        List<(long TermId, NpsCategory[] Categories)> terms, CancellationToken ct)
    {
        var result = new Dictionary<(long, NpsCategory), List<WordExample>>();
        foreach (var (termId, categories) in terms)
        {
            result[(termId, categories[0])] = await ExamplesAsync(filter, termId, categories, ct);
        }

        return result;
    }

    private async Task<List<WordExample>> ExamplesAsync(MetricsFilter filter, long termId, NpsCategory[] categories, CancellationToken ct)
    {
        var calendar = await engine.CalendarAsync(ct);
        await using var command = await CommandAsync(ct);
        // The candidates come from the term's index and the snapshots alone (their length is stored there); only the three
        // chosen responses are read for their comments. A dashboard filter on the responses needs them in the inner query.
        var filtered = filter.Dimensions.Count > 0;
        var sql = new StringBuilder("SELECT r.id, r.score, r.comment, r.responded_at FROM (SELECT rt.response_id, ir.comment_length FROM response_terms rt " +
                                    "CROSS JOIN indexed_responses ir ").Append(filtered ? "CROSS JOIN responses f " : "")
            .Append("WHERE ir.response_id = rt.response_id AND rt.term_id = @term AND ").Append(filtered ? "f.id = rt.response_id AND " : "");
        command.Add("@term", termId);
        AppendScope(sql, command, filter, calendar, null);
        sql.Append(" AND (");
        for (var i = 0; i < categories.Length; i++)
        {
            var (low, high) = categories[i] switch { NpsCategory.Detractor => (0, 6), NpsCategory.Passive => (7, 8), _ => (9, 10) };
            sql.Append(i == 0 ? "" : " OR ").Append(CultureInfo.InvariantCulture, $"ir.score BETWEEN {low} AND {high}");
        }

        sql.Append(')').Append(filtered ? MetricsEngine.FilterSql(filter, Provider, command, "f.") : "")
            .Append(CultureInfo.InvariantCulture, $" ORDER BY rt.response_id DESC LIMIT {ExampleCandidates}) c CROSS JOIN responses r ")
            .Append(CultureInfo.InvariantCulture, $"WHERE r.id = c.response_id AND r.comment IS NOT NULL ORDER BY c.comment_length, c.response_id LIMIT {ExamplesPerTerm}");
        command.CommandText = sql.ToString();
        var examples = new List<WordExample>(ExamplesPerTerm);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            examples.Add(new WordExample(reader.GetInt64(0), Convert.ToInt32(reader.GetValue(1), CultureInfo.InvariantCulture), reader.GetString(2),
                TextIndexer.ReadTime(reader.GetValue(3))));
        }

        return examples;
    }

    public async Task<ThemesReport> ThemesAsync(MetricsQuery q, CancellationToken ct)
    {
        var total = await engine.TotalAsync(q.Filter, ct);
        var byTheme = q.Filter.Dimensions.ContainsKey(Rollup.Theme) ? [] : await engine.ByDimensionAsync(q.Filter, Rollup.Theme, ct);
        var themes = await db.Themes.AsNoTracking().OrderBy(t => t.Name).Select(t => new { t.Id, t.Name }).ToListAsync(ct);
        var all = total.ToDistribution().ToCounts();
        var rows = new List<ThemeRow>();
        foreach (var theme in themes)
        {
            var h = byTheme.TryGetValue(ThemeIndex.Value(theme.Id), out var found) ? found : new Histogram();
            var own = h.ToDistribution().ToCounts();
            var summary = NpsSummary.From(h, q.Method, q.Level);
            if (own.N == 0 || own.N == all.N)
            {
                // No responses with the theme, or every response has it: there is no "without" to compare with.
                rows.Add(new ThemeRow(theme.Id, theme.Name, summary, all.N == 0 ? null : (double)own.N / all.N, null, null, null));
                continue;
            }

            var impact = ThemeImpact.Estimate(all, own, q.Level);
            rows.Add(new ThemeRow(theme.Id, theme.Name, summary, (double)own.N / all.N, impact.Impact,
                new IntervalDto("theme-impact", q.Level * 100, impact.Low, impact.High), impact.NpsWithout));
        }

        // Most damaging first: impact is NPS(all) − NPS(without the theme), negative when the theme drags NPS down.
        return new ThemesReport(q.From, q.To, NpsSummary.From(total, q.Method, q.Level),
            rows.OrderBy(r => r.Impact ?? double.MaxValue).ThenByDescending(r => r.Summary.N).ToList());
    }

    /// <summary>
    /// The best <c>limit</c> terms by a ranking value (higher first; ties by term id), kept in a bounded heap whose root is
    /// the worst kept term.
    /// </summary>
    private sealed class TopTerms(int limit)
    {
        private readonly PriorityQueue<(int Slot, double Delta, double Sigma, double Zeta), (double Rank, long Id)> _heap =
            new(Comparer<(double Rank, long Id)>.Create(static (a, b) => a.Rank.CompareTo(b.Rank) is var c and not 0 ? c : b.Id.CompareTo(a.Id)));

        public void Offer(int slot, long id, double delta, double sigma, double zeta, double rank)
        {
            if (limit <= 0)
            {
                return;
            }

            if (_heap.Count < limit)
            {
                _heap.Enqueue((slot, delta, sigma, zeta), (rank, id));
            }
            else if (_heap.TryPeek(out _, out var worst) && (rank > worst.Rank || (rank == worst.Rank && id < worst.Id)))
            {
                _heap.EnqueueDequeue((slot, delta, sigma, zeta), (rank, id));
            }
        }

        /// <summary>The kept terms, best first.</summary>
        public List<(int Slot, double Delta, double Sigma, double Zeta)> Best()
        {
            var best = new List<(int Slot, double Delta, double Sigma, double Zeta)>(_heap.Count);
            while (_heap.TryDequeue(out var term, out _))
            {
                best.Add(term);
            }

            best.Reverse();
            return best;
        }
    }

    private async Task<DbCommand> CommandAsync(CancellationToken ct)
    {
        await db.Database.OpenConnectionAsync(ct);
        var command = db.Database.GetDbConnection().CreateCommand();
        command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        return command;
    }
}
