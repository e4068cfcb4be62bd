using Microsoft.EntityFrameworkCore;
using Promoter.Core;
using Promoter.Data;

namespace Promoter.Metrics;

public sealed record ResponseRateDto(long Sent, long Responded, double? Rate);

public sealed record NpsReport(DateOnly? From, DateOnly? To, NpsSummary Summary, ResponseRateDto ResponseRate);

public sealed record ControlLimitsDto(double Centre, double Lower, double Upper);

public sealed record TrendPeriod(DateOnly Start, DateOnly End, NpsSummary Summary, double? MovingAverage, ControlLimitsDto? ControlLimits, bool OutOfControl);

public sealed record TrendReport(TrendInterval Interval, DateOnly From, DateOnly To, NpsSummary Baseline, List<TrendPeriod> Periods);

public sealed record BreakdownRow(string Value, NpsSummary Summary, double? DifferenceFromRest, double? P, double? PAdjusted, bool Significant);

public sealed record BreakdownReport(string By, DateOnly? From, DateOnly? To, NpsSummary Total, List<BreakdownRow> Rows);

public sealed record CompareReport(DateOnly? From, DateOnly? To, DateOnly? PreviousFrom, DateOnly? PreviousTo, NpsSummary Current, NpsSummary Previous,
    double? Difference, double? StandardError, double? Z, double? P, IntervalDto? Ci, bool Significant);

/// <summary>The numbers behind the API and the dashboard, computed from <see cref="MetricsEngine"/> counts.</summary>
public sealed class MetricsReports(MetricsEngine engine, PromoterDb db, TimeProvider clock)
{
    public const int MovingAveragePeriods = 3;

    public async Task<NpsReport> NpsAsync(MetricsQuery q, CancellationToken ct)
    {
        var total = await engine.TotalAsync(q.Filter, ct);
        return new NpsReport(q.From, q.To, NpsSummary.From(total, q.Method, q.Level), await ResponseRateAsync(q, ct));
    }

    /// <summary>Invitations sent in the range and how many of them were answered.</summary>
    private async Task<ResponseRateDto> ResponseRateAsync(MetricsQuery q, CancellationToken ct)
    {
        var calendar = await engine.CalendarAsync(ct);
        var ids = q.Filter.SurveyIds.ToList();
        var invitations = db.Invitations.AsNoTracking().Where(i => ids.Contains(i.SurveyId) && i.SentAt != null);
        if (q.Filter.FromDay is { } from)
        {
            var start = calendar.StartOf(from);
            invitations = invitations.Where(i => i.SentAt >= start);
        }

        if (q.Filter.ToDay is { } to)
        {
            var end = calendar.StartOf(to + 1);
            invitations = invitations.Where(i => i.SentAt < end);
        }

        var counts = await invitations.GroupBy(_ => 1)
            .Select(g => new { Sent = g.LongCount(), Responded = g.LongCount(i => i.RespondedAt != null) })
            .SingleOrDefaultAsync(ct);
        var sent = counts?.Sent ?? 0;
        var responded = counts?.Responded ?? 0;
        return new ResponseRateDto(sent, responded, sent == 0 ? null : (double)responded / sent);
    }

    public async Task<DateOnly> TodayAsync(CancellationToken ct) =>
        WorkspaceCalendar.DateOf((await engine.CalendarAsync(ct)).DayOf(clock.GetUtcNow().UtcDateTime));

    public async Task<TrendReport> TrendAsync(MetricsQuery q, TrendInterval interval, CancellationToken ct)
    {
        var to = q.To ?? await TodayAsync(ct);
        var from = q.From ?? Periods.StartOf(to.AddMonths(-11), interval);
        var byDay = await engine.ByDayAsync(q.Filter.WithDays(WorkspaceCalendar.DayNumber(from), WorkspaceCalendar.DayNumber(to)), ct);
        var baseline = new Histogram();
        var periods = new List<(DateOnly Start, DateOnly End, Histogram Counts)>();
        foreach (var (start, end) in Periods.Cover(from, to, interval))
        {
            var h = new Histogram();
            for (var day = WorkspaceCalendar.DayNumber(start); day <= WorkspaceCalendar.DayNumber(end); day++)
            {
                if (byDay.TryGetValue(day, out var counts))
                {
                    h.Add(counts);
                }
            }

            baseline.Add(h);
            periods.Add((start, end, h));
        }

        var baselineCounts = baseline.ToDistribution().ToCounts();
        var result = new List<TrendPeriod>();
        for (var i = 0; i < periods.Count; i++)
        {
            var (start, end, h) = periods[i];
            var summary = NpsSummary.From(h, q.Method, q.Level);
            var window = new Histogram();
            for (var j = Math.Max(0, i - MovingAveragePeriods + 1); j <= i; j++)
            {
                window.Add(periods[j].Counts);
            }

            var windowCounts = window.ToDistribution().ToCounts();
            ControlLimitsDto? limits = null;
            var outOfControl = false;
            if (h.N > 0 && baselineCounts.N > 0)
            {
                var c = ControlLimits.ForPeriod(baselineCounts, h.N);
                limits = new ControlLimitsDto(c.Centre, c.Lower, c.Upper);
                outOfControl = c.IsOutOfControl(summary.Nps!.Value);
            }

            result.Add(new TrendPeriod(start, end, summary, windowCounts.N > 0 ? windowCounts.Nps : null, limits, outOfControl));
        }

        return new TrendReport(interval, from, to, NpsSummary.From(baseline, q.Method, q.Level), result);
    }

    // total: the slice's counts when the caller already has them (the dashboard's headline).
    public async Task<BreakdownReport> BreakdownAsync(MetricsQuery q, string by, string dimension, CancellationToken ct, Histogram? total = null)
    {
        var values = await engine.ByDimensionAsync(q.Filter, dimension, ct);
        total ??= await engine.TotalAsync(q.Filter, ct);
        var rows = new List<(string Value, Histogram Counts, NpsComparison? Test)>();
        foreach (var (value, h) in values.OrderByDescending(v => v.Value.N).ThenBy(v => v.Key, StringComparer.Ordinal))
        {
            var rest = total.Minus(h).ToDistribution().ToCounts();
            var own = h.ToDistribution().ToCounts();
            // Each value against everyone else in the same slice; responses without the dimension count as "rest".
            rows.Add((value, h, rest.N > 0 && own.N > 0 ? NpsComparison.CompareIndependent(rest, own, q.Level) : null));
        }

        var tested = rows.Where(r => r.Test is not null).ToList();
        var adjusted = MultipleComparisons.HolmAdjust(tested.Select(r => r.Test!.P).ToList());
        var adjustedByValue = tested.Select((r, i) => (r.Value, adjusted[i])).ToDictionary(x => x.Value, x => x.Item2, StringComparer.Ordinal);
        var alpha = 1 - q.Level;
        return new BreakdownReport(by, q.From, q.To, NpsSummary.From(total, q.Method, q.Level), rows.Select(r =>
        {
            var p = adjustedByValue.TryGetValue(r.Value, out var a) ? a : (double?)null;
            return new BreakdownRow(r.Value, NpsSummary.From(r.Counts, q.Method, q.Level), r.Test?.Difference, r.Test?.P, p, p < alpha);
        }).ToList());
    }

    public async Task<CompareReport> CompareAsync(MetricsQuery current, DateOnly? previousFrom, DateOnly? previousTo, CancellationToken ct)
    {
        var previousFilter = current.Filter.WithDays(previousFrom is null ? null : WorkspaceCalendar.DayNumber(previousFrom.Value),
            previousTo is null ? null : WorkspaceCalendar.DayNumber(previousTo.Value));
        var now = await engine.TotalAsync(current.Filter, ct);
        var before = await engine.TotalAsync(previousFilter, ct);
        var a = before.ToDistribution().ToCounts();
        var b = now.ToDistribution().ToCounts();
        var test = a.N > 0 && b.N > 0 ? NpsComparison.CompareIndependent(a, b, current.Level) : null;
        return new CompareReport(current.From, current.To, previousFrom, previousTo,
            NpsSummary.From(now, current.Method, current.Level), NpsSummary.From(before, current.Method, current.Level),
            test?.Difference, test?.StandardError, test is null || !double.IsFinite(test.Z) ? null : test.Z, test?.P,
            test is null ? null : new IntervalDto(test.Interval.Method.ToWireName(), current.Level * 100, test.Interval.Low, test.Interval.High),
            test?.Significant ?? false);
    }
}
