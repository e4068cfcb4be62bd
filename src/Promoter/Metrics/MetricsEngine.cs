using System.Data.Common;
using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Promoter.Data;

namespace Promoter.Metrics;

/// <summary>
/// Score counts for any slice of a workspace's responses. With at most one dimension filter (and a breakdown only
/// without filters) it reads the rollups; rarer combinations scan the raw responses of the date range instead,
/// grouped in SQL by quarter hour and score so only a few thousand rows come back.
/// </summary>
public sealed class MetricsEngine(PromoterDb db, IOptions<DatabaseOptions> options, RollupMaintenance maintenance)
{
    private WorkspaceCalendar? _calendar;

    public async Task<WorkspaceCalendar> CalendarAsync(CancellationToken ct) => _calendar ??= await maintenance.CalendarAsync(ct);

    public async Task<Histogram> TotalAsync(MetricsFilter filter, CancellationToken ct)
    {
        var total = new Histogram();
        if (filter.Dimensions.Count <= 1)
        {
            var (dim, value) = filter.Dimensions.Count == 0 ? (Rollup.Total, "") : filter.Dimensions.First() is var d ? (d.Key, d.Value) : default;
            foreach (var (_, h) in await SumRangeAsync(filter, dim, value, ct))
            {
                total.Add(h);
            }

            return total;
        }

        foreach (var (_, h) in await ByDayAsync(filter, ct))
        {
            total.Add(h);
        }

        return total;
    }

    /// <summary>Counts per local day (days without responses are absent).</summary>
    public async Task<SortedDictionary<int, Histogram>> ByDayAsync(MetricsFilter filter, CancellationToken ct)
    {
        var result = new SortedDictionary<int, Histogram>();
        if (filter.Dimensions.Count <= 1)
        {
            var (dim, value) = filter.Dimensions.Count == 0 ? (Rollup.Total, "") : filter.Dimensions.First() is var d ? (d.Key, d.Value) : default;
            foreach (var (key, h) in await SumRollupsAsync(filter, dim, value, groupByDay: true, ct))
            {
                result[int.Parse(key, CultureInfo.InvariantCulture)] = h;
            }

            return result;
        }

        foreach (var (_, day, h) in await ScanAsync(filter, byDimension: null, ct))
        {
            (result.TryGetValue(day, out var existing) ? existing : result[day] = new Histogram()).Add(h);
        }

        return result;
    }

    /// <summary>Counts per value of a dimension over the filter's range (values without responses are absent).</summary>
    public async Task<Dictionary<string, Histogram>> ByDimensionAsync(MetricsFilter filter, string dimension, CancellationToken ct)
    {
        var result = new Dictionary<string, Histogram>(StringComparer.Ordinal);
        if (filter.Dimensions.Count == 0)
        {
            foreach (var (key, h) in await SumRangeAsync(filter, dimension, value: null, ct))
            {
                if (h.N == 0)
                {
                    continue;
                }

                if (result.TryGetValue(key, out var existing))
                {
                    existing.Add(h);
                }
                else
                {
                    result[key] = h;
                }
            }

            return result;
        }

        foreach (var (value, _, h) in await ScanAsync(filter, dimension, ct))
        {
            (result.TryGetValue(value!, out var existing) ? existing : result[value!] = new Histogram()).Add(h);
        }

        return result;
    }

    /// <summary>
    /// Sums over a day range grouped by value, reading whole months from the monthly rows and only the partial months
    /// at either end from the daily rows: at most three primary-key range reads, each small.
    /// </summary>
    private async Task<List<(string Key, Histogram Counts)>> SumRangeAsync(MetricsFilter filter, string dimension, string? value, CancellationToken ct)
    {
        var rows = new List<(string, Histogram)>();
        foreach (var (monthly, from, to) in WorkspaceCalendar.MonthlySegments(filter.FromDay, filter.ToDay))
        {
            rows.AddRange(await SumRollupsAsync(filter.WithDays(from, to), monthly ? Rollup.MonthlyPrefix + dimension : dimension, value, false, ct));
        }

        return rows;
    }

    /// <summary>
    /// One aggregate over the rollup table's primary-key range (workspace, survey, dimension[, value], days), grouped by
    /// day or by value. Plain SQL: this runs on every dashboard view and is the path the benchmark measures.
    /// </summary>
    private async Task<List<(string Key, Histogram Counts)>> SumRollupsAsync(MetricsFilter filter, string dimension, string? value, bool groupByDay, CancellationToken ct)
    {
        var provider = options.Value.Provider;
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            await using var command = connection.CreateCommand();
            var sql = new StringBuilder("SELECT ").Append(groupByDay ? "day" : "value");
            for (var i = 0; i <= 10; i++)
            {
                sql.Append(CultureInfo.InvariantCulture, $", SUM(d{i})");
            }

            sql.Append(" FROM rollups WHERE workspace_id = @ws AND survey_id IN (");
            command.Add("@ws", SqlValues.Id(provider, db.Workspace.RequiredWorkspaceId));
            for (var i = 0; i < filter.SurveyIds.Count; i++)
            {
                sql.Append(i == 0 ? "" : ", ").Append(CultureInfo.InvariantCulture, $"@s{i}");
                command.Add($"@s{i}", SqlValues.Id(provider, filter.SurveyIds[i]));
            }

            sql.Append(") AND dim = @dim");
            command.Add("@dim", dimension);
            if (value is not null)
            {
                sql.Append(" AND value = @value");
                command.Add("@value", value);
            }

            if (filter.FromDay is { } from)
            {
                sql.Append(" AND day >= @from");
                command.Add("@from", from);
            }

            if (filter.ToDay is { } to)
            {
                sql.Append(" AND day <= @to");
                command.Add("@to", to);
            }

            sql.Append(groupByDay ? " GROUP BY day" : " GROUP BY value");
            command.CommandText = sql.ToString();
            var rows = new List<(string, Histogram)>();
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                var h = new Histogram();
                for (var i = 0; i <= 10; i++)
                {
                    h.Counts[i] = reader.IsDBNull(i + 1) ? 0 : Convert.ToInt64(reader.GetValue(i + 1), CultureInfo.InvariantCulture);
                }

                rows.Add((Convert.ToString(reader.GetValue(0), CultureInfo.InvariantCulture)!, h));
            }

            return rows;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>The raw path: SQL groups final responses by quarter hour (every real UTC offset is a multiple of it), value and score.</summary>
    private async Task<List<(string? Value, int Day, Histogram Counts)>> ScanAsync(MetricsFilter filter, string? byDimension, CancellationToken ct)
    {
        var provider = options.Value.Provider;
        var calendar = await CalendarAsync(ct);
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            await using var command = connection.CreateCommand();
            var sql = new StringBuilder();
            var epoch = provider == DatabaseProvider.Sqlite ? "CAST(strftime('%s', responded_at) AS INTEGER)" : "extract(epoch FROM responded_at)::bigint";
            var byTheme = byDimension == Rollup.Theme;
            var valueSql = byDimension is null ? "NULL"
                : byTheme ? (provider == DatabaseProvider.Sqlite ? "lower(rt.theme_id)" : "rt.theme_id::text")
                : ColumnFor(byDimension, provider, command, "@by", "");
            var from = byTheme ? "responses JOIN response_themes rt ON rt.response_id = responses.id" : "responses";
            sql.Append(CultureInfo.InvariantCulture, $"SELECT {valueSql} AS v, {epoch} / 900 AS q, score, COUNT(*) FROM {from} WHERE workspace_id = @ws AND status = 'Final'");
            command.Add("@ws", SqlValues.Id(provider, db.Workspace.RequiredWorkspaceId));
            sql.Append(" AND survey_id IN (");
            for (var i = 0; i < filter.SurveyIds.Count; i++)
            {
                sql.Append(i == 0 ? "" : ", ").Append(CultureInfo.InvariantCulture, $"@s{i}");
                command.Add($"@s{i}", SqlValues.Id(provider, filter.SurveyIds[i]));
            }

            sql.Append(')');
            if (filter.FromDay is { } fromDay)
            {
                sql.Append(" AND responded_at >= @from");
                command.Add("@from", SqlValues.Time(provider, calendar.StartOf(fromDay)));
            }

            if (filter.ToDay is { } to)
            {
                sql.Append(" AND responded_at < @to");
                command.Add("@to", SqlValues.Time(provider, calendar.StartOf(to + 1)));
            }

            sql.Append(FilterSql(filter, provider, command, ""));

            if (byDimension is not null)
            {
                sql.Append(CultureInfo.InvariantCulture, $" AND {valueSql} IS NOT NULL");
            }

            sql.Append(" GROUP BY v, q, score");
            command.CommandText = sql.ToString();
            var rows = new List<(string?, int, Histogram)>();
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                var value = reader.IsDBNull(0) ? null : reader.GetString(0);
                var quarter = reader.GetInt64(1);
                var day = calendar.DayOf(DateTime.UnixEpoch.AddSeconds(quarter * 900));
                var h = new Histogram();
                h.Counts[Convert.ToInt32(reader.GetValue(2), CultureInfo.InvariantCulture)] = reader.GetInt64(3);
                rows.Add((value, day, h));
            }

            return rows;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>
    /// " AND …" conditions on <c>responses</c> (aliased by <paramref name="alias"/>, e.g. "r.") for the filter's dimensions:
    /// the raw path of every report that counts responses (scores here, terms in the Why section).
    /// </summary>
    internal static string FilterSql(MetricsFilter filter, DatabaseProvider provider, DbCommand command, string alias)
    {
        var sql = new StringBuilder();
        var n = 0;
        foreach (var (dim, value) in filter.Dimensions)
        {
            if (dim == Rollup.Theme)
            {
                sql.Append(CultureInfo.InvariantCulture, $" AND {alias}id IN (SELECT response_id FROM response_themes WHERE theme_id = @v{n})");
                command.Add($"@v{n}", SqlValues.Id(provider, Guid.Parse(value, CultureInfo.InvariantCulture)));
            }
            else
            {
                var column = ColumnFor(dim, provider, command, $"@k{n}", alias);
                sql.Append(CultureInfo.InvariantCulture, $" AND {column} = @v{n}");
                command.Add($"@v{n}", value);
            }

            n++;
        }

        return sql.ToString();
    }

    private static string ColumnFor(string dimension, DatabaseProvider provider, DbCommand command, string keyParameter, string alias)
    {
        switch (dimension)
        {
            case Rollup.Channel: return alias + "channel";
            case Rollup.Language: return alias + "language";
            case Rollup.Touchpoint: return alias + "touchpoint";
            case Rollup.Team: return alias + "team_member";
        }

        if (!dimension.StartsWith(Rollup.PropertyPrefix, StringComparison.Ordinal))
        {
            throw new ArgumentException($"Unknown dimension {dimension}.", nameof(dimension));
        }

        command.Add(keyParameter, provider == DatabaseProvider.Sqlite
            ? "$.\"" + dimension[Rollup.PropertyPrefix.Length..] + "\""
            : dimension[Rollup.PropertyPrefix.Length..]);
        return provider == DatabaseProvider.Sqlite ? $"json_extract({alias}properties, {keyParameter})" : $"({alias}properties::jsonb ->> {keyParameter})";
    }
}
