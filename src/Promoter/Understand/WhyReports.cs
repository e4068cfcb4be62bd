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
public sealed class WhyReports(PromoterDb db, IOptions<DatabaseOptions> options, MetricsEngine engine)
{
    public const int MaxLimit = 200;
    public const int ExamplesPerTerm = 3;

    /// <summary>The newest comments with a term that its examples are chosen from (shortest first).</summary>
    public const int ExampleCandidates = 50;

    private DatabaseProvider Provider => options.Value.Provider;

    public async Task<WordsReport> WordsAsync(MetricsQuery q, string? language, WordsCompare compare, KeynessOptions keyness, int limit, bool examples,
        CancellationToken ct)
    {
        var counts = await TermCountsAsync(q.Filter, language, ct);
        var groups = compare switch
        {
            WordsCompare.DetractorsPromoters => new[] { "detractors", "promoters" },
            WordsCompare.PassivesRest => ["passives", "rest"],
            _ => ["detractors", "passives", "promoters"],
        };

        var responses = await GroupSizesAsync(q.Filter, ct);
        var selected = new List<(long TermId, WordTerm Term, NpsCategory[] Categories)>();
        if (compare == WordsCompare.Each)
        {
            var input = counts.ToDictionary(c => c.Key.ToString(CultureInfo.InvariantCulture), c => c.Value);
            foreach (var category in new[] { NpsCategory.Detractor, NpsCategory.Passive, NpsCategory.Promoter })
            {
                foreach (var t in Keyness.EachVsAll(input, keyness).Where(t => t.Category == (int)category).OrderByDescending(t => t.Zeta).Take(limit))
                {
                    var id = long.Parse(t.Key, CultureInfo.InvariantCulture);
                    var c = counts[id];
                    selected.Add((id, new WordTerm("", "", "", Named(groups, c), t.Delta, t.Sigma, t.Zeta, t.Significant, groups[(int)category], null), [category]));
                }
            }
        }
        else
        {
            var (first, second) = compare == WordsCompare.DetractorsPromoters
                ? (new[] { NpsCategory.Detractor }, new[] { NpsCategory.Promoter })
                : (new[] { NpsCategory.Passive }, new[] { NpsCategory.Detractor, NpsCategory.Promoter });
            var input = new Dictionary<string, (long I, long J)>(counts.Count);
            foreach (var (id, c) in counts)
            {
                var i = first.Sum(k => c[(int)k]);
                var j = second.Sum(k => c[(int)k]);
                if (i + j > 0)
                {
                    input[id.ToString(CultureInfo.InvariantCulture)] = (i, j);
                }
            }

            var ranked = Keyness.TwoGroups(input, keyness);
            // The terms that lean most to each side: the first group's from the top, the second's from the bottom.
            foreach (var t in ranked.Where(t => t.Zeta > 0).Take(limit).Concat(ranked.Where(t => t.Zeta < 0).Reverse().Take(limit)))
            {
                var id = long.Parse(t.Key, CultureInfo.InvariantCulture);
                var named = new Dictionary<string, long>(StringComparer.Ordinal) { [groups[0]] = t.CountI, [groups[1]] = t.CountJ };
                selected.Add((id, new WordTerm("", "", "", named, t.Delta, t.Sigma, t.Zeta, t.Significant, t.Zeta > 0 ? groups[0] : groups[1], null),
                    t.Zeta > 0 ? first : second));
            }
        }

        var ids = selected.Select(s => s.TermId).Distinct().ToList();
        var names = await TermNamesAsync(ids, ct);
        var terms = new List<WordTerm>(selected.Count);
        foreach (var (id, term, categories) in selected)
        {
            var (surface, key, termLanguage) = names[id];
            terms.Add(term with
            {
                Term = surface,
                Key = key,
                Language = termLanguage,
                Examples = examples ? await ExamplesAsync(q.Filter, id, categories, ct) : null,
            });
        }

        return new WordsReport(compare switch { WordsCompare.DetractorsPromoters => "detractors-promoters", WordsCompare.PassivesRest => "passives-rest", _ => "each" },
            keyness.Prior == KeynessPrior.Informative ? "informative" : "uniform", keyness.PriorStrength, keyness.Alpha, keyness.MinCount, language, q.From, q.To,
            responses, counts.Count, terms);
    }

    private static Dictionary<string, long> Named(string[] groups, long[] counts) =>
        groups.Select((g, i) => (g, counts[i])).ToDictionary(x => x.g, x => x.Item2, StringComparer.Ordinal);

    /// <summary>Commented responses per category in the view (the indexed ones), for "n of N" in the UI.</summary>
    private async Task<Dictionary<string, long>> GroupSizesAsync(MetricsFilter filter, CancellationToken ct)
    {
        var calendar = await engine.CalendarAsync(ct);
        await using var command = await CommandAsync(ct);
        var sql = new StringBuilder("SELECT ir.score, COUNT(*) FROM indexed_responses ir JOIN responses r ON r.id = ir.response_id WHERE ");
        AppendScope(sql, command, filter, calendar, null);
        sql.Append(MetricsEngine.FilterSql(filter, Provider, command, "r.")).Append(" GROUP BY ir.score");
        command.CommandText = sql.ToString();
        var result = new Dictionary<string, long>(StringComparer.Ordinal) { ["detractors"] = 0, ["passives"] = 0, ["promoters"] = 0 };
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var category = NpsCategories.Of(Convert.ToInt32(reader.GetValue(0), CultureInfo.InvariantCulture));
            result[category switch { NpsCategory.Detractor => "detractors", NpsCategory.Passive => "passives", _ => "promoters" }] += reader.GetInt64(1);
        }

        return result;
    }

    /// <summary>Responses per term and category (detractors, passives, promoters) in the view.</summary>
    private async Task<Dictionary<long, long[]>> TermCountsAsync(MetricsFilter filter, string? language, CancellationToken ct)
    {
        var result = new Dictionary<long, long[]>();
        void Add(long term, int category, long n) => (CollectionsMarshal.GetValueRefOrAddDefault(result, term, out _) ??= new long[3])[category] += n;

        if (filter.Dimensions.Count == 0)
        {
            foreach (var (monthly, from, to) in WorkspaceCalendar.MonthlySegments(filter.FromDay, filter.ToDay))
            {
                await using var command = await CommandAsync(ct);
                var sql = new StringBuilder("SELECT term_id, SUM(detractors), SUM(passives), SUM(promoters) FROM term_rollups WHERE workspace_id = @ws");
                command.Add("@ws", SqlValues.Id(Provider, db.Workspace.RequiredWorkspaceId));
                AppendSurveys(sql, command, filter, "");
                sql.Append(" AND monthly = @monthly");
                command.Add("@monthly", SqlValues.Bool(Provider, monthly));
                if (from is { } f)
                {
                    sql.Append(" AND day >= @from");
                    command.Add("@from", f);
                }

                if (to is { } t)
                {
                    sql.Append(" AND day <= @to");
                    command.Add("@to", t);
                }

                if (language is not null)
                {
                    sql.Append(" AND language = @language");
                    command.Add("@language", language);
                }

                sql.Append(" GROUP BY term_id");
                command.CommandText = sql.ToString();
                await using var reader = await command.ExecuteReaderAsync(ct);
                while (await reader.ReadAsync(ct))
                {
                    var term = reader.GetInt64(0);
                    for (var i = 0; i < 3; i++)
                    {
                        Add(term, i, Convert.ToInt64(reader.GetValue(i + 1), CultureInfo.InvariantCulture));
                    }
                }
            }
        }
        else
        {
            var calendar = await engine.CalendarAsync(ct);
            await using var command = await CommandAsync(ct);
            var sql = new StringBuilder("SELECT rt.term_id, ir.score, COUNT(*) FROM indexed_responses ir JOIN response_terms rt ON rt.response_id = ir.response_id " +
                                        "JOIN responses r ON r.id = ir.response_id WHERE ");
            AppendScope(sql, command, filter, calendar, language);
            sql.Append(MetricsEngine.FilterSql(filter, Provider, command, "r.")).Append(" GROUP BY rt.term_id, ir.score");
            command.CommandText = sql.ToString();
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                Add(reader.GetInt64(0), (int)NpsCategories.Of(Convert.ToInt32(reader.GetValue(1), CultureInfo.InvariantCulture)), reader.GetInt64(2));
            }
        }

        // Terms whose responses all changed or went away keep rows of zeros until they are counted again.
        foreach (var (term, c) in result.Where(r => r.Value.All(v => v == 0)).ToList())
        {
            result.Remove(term);
        }

        return result;
    }

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
    private async Task<List<WordExample>> ExamplesAsync(MetricsFilter filter, long termId, NpsCategory[] categories, CancellationToken ct)
    {
        var calendar = await engine.CalendarAsync(ct);
        await using var command = await CommandAsync(ct);
        var sql = new StringBuilder("SELECT c.id, c.score, c.comment, c.responded_at FROM (SELECT r.id, r.score, r.comment, r.responded_at, ir.comment_length " +
                                    "FROM response_terms rt CROSS JOIN indexed_responses ir CROSS JOIN responses r " +
                                    "WHERE ir.response_id = rt.response_id AND r.id = rt.response_id AND rt.term_id = @term AND ");
        command.Add("@term", termId);
        AppendScope(sql, command, filter, calendar, null);
        sql.Append(" AND (");
        for (var i = 0; i < categories.Length; i++)
        {
            var (low, high) = categories[i] switch { NpsCategory.Detractor => (0, 6), NpsCategory.Passive => (7, 8), _ => (9, 10) };
            sql.Append(i == 0 ? "" : " OR ").Append(CultureInfo.InvariantCulture, $"ir.score BETWEEN {low} AND {high}");
        }

        sql.Append(')').Append(MetricsEngine.FilterSql(filter, Provider, command, "r."))
            .Append(CultureInfo.InvariantCulture, $" AND r.comment IS NOT NULL ORDER BY rt.response_id DESC LIMIT {ExampleCandidates}) c ORDER BY c.comment_length, c.id LIMIT {ExamplesPerTerm}");
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

    private async Task<DbCommand> CommandAsync(CancellationToken ct)
    {
        await db.Database.OpenConnectionAsync(ct);
        var command = db.Database.GetDbConnection().CreateCommand();
        command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        return command;
    }
}
