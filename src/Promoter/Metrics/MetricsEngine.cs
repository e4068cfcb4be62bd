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
        foreach (var (_, h) in await ByDayAsync(filter, ct))
        {
            total.Add(h);
        }

        return total;
    }

    /// <summary>Counts per local day (days without responses are absent).</summary>
    public async Task<SortedDictionary<int, Histogram>> ByDayAsync(MetricsFilter filter, CancellationToken ct)
    {
        if (filter.Dimensions.Count <= 1)
        {
            var (dim, value) = filter.Dimensions.Count == 0 ? (Rollup.Total, "") : filter.Dimensions.First() is var d ? (d.Key, d.Value) : default;
            var rows = await RollupRows(filter, dim).Where(r => r.Value == value)
                .GroupBy(r => r.Day)
                .Select(g => new Row("", g.Key, g.Sum(x => x.D0), g.Sum(x => x.D1), g.Sum(x => x.D2), g.Sum(x => x.D3), g.Sum(x => x.D4),
                    g.Sum(x => x.D5), g.Sum(x => x.D6), g.Sum(x => x.D7), g.Sum(x => x.D8), g.Sum(x => x.D9), g.Sum(x => x.D10)))
                .ToListAsync(ct);
            return new SortedDictionary<int, Histogram>(rows.ToDictionary(r => r.Day, r => r.ToHistogram()));
        }

        var result = new SortedDictionary<int, Histogram>();
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
            var rows = await RollupRows(filter, dimension)
                .GroupBy(r => r.Value)
                .Select(g => new Row(g.Key, 0, g.Sum(x => x.D0), g.Sum(x => x.D1), g.Sum(x => x.D2), g.Sum(x => x.D3), g.Sum(x => x.D4),
                    g.Sum(x => x.D5), g.Sum(x => x.D6), g.Sum(x => x.D7), g.Sum(x => x.D8), g.Sum(x => x.D9), g.Sum(x => x.D10)))
                .ToListAsync(ct);
            foreach (var row in rows.Where(r => r.ToHistogram().N > 0))
            {
                result[row.Key] = row.ToHistogram();
            }

            return result;
        }

        foreach (var (value, _, h) in await ScanAsync(filter, dimension, ct))
        {
            (result.TryGetValue(value!, out var existing) ? existing : result[value!] = new Histogram()).Add(h);
        }

        return result;
    }

    private sealed record Row(string Key, int Day, long D0, long D1, long D2, long D3, long D4, long D5, long D6, long D7, long D8, long D9, long D10)
    {
        public Histogram ToHistogram()
        {
            var h = new Histogram();
            long[] values = [D0, D1, D2, D3, D4, D5, D6, D7, D8, D9, D10];
            values.CopyTo(h.Counts, 0);
            return h;
        }
    }

    private IQueryable<Rollup> RollupRows(MetricsFilter filter, string dimension)
    {
        var ids = filter.SurveyIds.ToList();
        var query = db.Rollups.AsNoTracking().Where(r => ids.Contains(r.SurveyId) && r.Dim == dimension);
        if (filter.FromDay is { } from)
        {
            query = query.Where(r => r.Day >= from);
        }

        if (filter.ToDay is { } to)
        {
            query = query.Where(r => r.Day <= to);
        }

        return query;
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
            var valueSql = byDimension is null ? "NULL" : ColumnFor(byDimension, provider, command, "@by");
            sql.Append(CultureInfo.InvariantCulture, $"SELECT {valueSql} AS v, {epoch} / 900 AS q, score, COUNT(*) FROM responses WHERE workspace_id = @ws AND status = 'Final'");
            command.Add("@ws", SqlValues.Id(provider, db.Workspace.RequiredWorkspaceId));
            sql.Append(" AND survey_id IN (");
            for (var i = 0; i < filter.SurveyIds.Count; i++)
            {
                sql.Append(i == 0 ? "" : ", ").Append(CultureInfo.InvariantCulture, $"@s{i}");
                command.Add($"@s{i}", SqlValues.Id(provider, filter.SurveyIds[i]));
            }

            sql.Append(')');
            if (filter.FromDay is { } from)
            {
                sql.Append(" AND responded_at >= @from");
                command.Add("@from", SqlValues.Time(provider, calendar.StartOf(from)));
            }

            if (filter.ToDay is { } to)
            {
                sql.Append(" AND responded_at < @to");
                command.Add("@to", SqlValues.Time(provider, calendar.StartOf(to + 1)));
            }

            var n = 0;
            foreach (var (dim, value) in filter.Dimensions)
            {
                var column = ColumnFor(dim, provider, command, $"@k{n}");
                sql.Append(CultureInfo.InvariantCulture, $" AND {column} = @v{n}");
                command.Add($"@v{n}", value);
                n++;
            }

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

    private static string ColumnFor(string dimension, DatabaseProvider provider, DbCommand command, string keyParameter)
    {
        switch (dimension)
        {
            case Rollup.Channel: return "channel";
            case Rollup.Language: return "language";
            case Rollup.Touchpoint: return "touchpoint";
            case Rollup.Team: return "team_member";
        }

        if (!dimension.StartsWith(Rollup.PropertyPrefix, StringComparison.Ordinal))
        {
            throw new ArgumentException($"Unknown dimension {dimension}.", nameof(dimension));
        }

        command.Add(keyParameter, provider == DatabaseProvider.Sqlite
            ? "$.\"" + dimension[Rollup.PropertyPrefix.Length..] + "\""
            : dimension[Rollup.PropertyPrefix.Length..]);
        return provider == DatabaseProvider.Sqlite ? $"json_extract(properties, {keyParameter})" : $"(properties::jsonb ->> {keyParameter})";
    }
}
