using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Promoter.Accounts;
using Promoter.Collect;
using Promoter.Data;
using Promoter.Metrics;
using Promoter.Platform;

namespace Promoter.Integrations.Delighted;

/// <summary>
/// <c>GET /v1/metrics</c>: Delighted's core group (integer NPS, counts, whole percents). Counts come from the metrics
/// engine Promoter's own NPS uses; only the part-days at the ends of a Unix-second range are counted from raw rows,
/// so a range of whole workspace days gives exactly the dashboard's numbers.
/// </summary>
internal static class MetricsEndpoint
{
    /// <summary>Delighted's default without a range: the 30 days ending at the latest response.</summary>
    public static readonly TimeSpan DefaultWindow = TimeSpan.FromDays(30);

    public static void Map(RouteGroupBuilder v1) => DelightedRoutes.Map(v1, "GET", "/metrics", Get, Scopes.MetricsRead);

    private static async Task<IResult> Get(HttpRequest request, PromoterDb db, MetricsEngine engine, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var since = DelightedInput.QueryTime(request.Query, "since", errors);
        var until = DelightedInput.QueryTime(request.Query, "until", errors);
        var trend = await DelightedSurveys.TrendAsync(db, DelightedInput.Query(request.Query, "trend", errors), errors, ct);
        foreach (var group in DelightedInput.QueryList(request.Query, "groups").Where(g => g != "core"))
        {
            errors.Add("groups", $"'{(group.Length > 32 ? group[..32] : group)}' is not available; Promoter serves the core group");
        }

        if (since > until)
        {
            errors.Add("since", "must not be after until");
        }

        errors.ThrowIfAny();
        var surveys = await DelightedSurveys.ScopeAsync(db, trend, ct);
        var histogram = new Histogram();
        if (surveys.Count > 0)
        {
            if (since is null && until is null
                && await db.Responses.AsNoTracking().Where(r => surveys.Contains(r.SurveyId) && r.Status == ResponseStatus.Final)
                    .MaxAsync(r => (DateTime?)r.RespondedAt, ct) is { } latest)
            {
                until = latest;
                since = latest - DefaultWindow;
            }

            if (since is not null || until is not null)
            {
                histogram = await CountAsync(db, engine, surveys, since, until?.AddSeconds(1), ct);
            }
        }

        return DelightedJson.Result(Write(histogram));
    }

    /// <summary>Counts in [from, to): whole local days through the engine (rollups), the part-days at either end from responses.</summary>
    public static async Task<Histogram> CountAsync(PromoterDb db, MetricsEngine engine, List<Guid> surveys, DateTime? from, DateTime? to, CancellationToken ct)
    {
        var calendar = await engine.CalendarAsync(ct);
        int? firstDay = from is { } f ? (calendar.StartOf(calendar.DayOf(f)) == f ? calendar.DayOf(f) : calendar.DayOf(f) + 1) : null;
        int? lastDay = to is { } t ? calendar.DayOf(t) - 1 : null;
        var total = new Histogram();
        if (firstDay is null || lastDay is null || firstDay <= lastDay)
        {
            total.Add(await engine.TotalAsync(new MetricsFilter(surveys, firstDay, lastDay, new Dictionary<string, string>()), ct));
            if (from is { } start && firstDay is { } fd && calendar.StartOf(fd) > start)
            {
                total.Add(await RawAsync(db, surveys, start, calendar.StartOf(fd), ct));
            }

            if (to is { } end && lastDay is { } ld && calendar.StartOf(ld + 1) < end)
            {
                total.Add(await RawAsync(db, surveys, calendar.StartOf(ld + 1), end, ct));
            }
        }
        else
        {
            total.Add(await RawAsync(db, surveys, from!.Value, to!.Value, ct));
        }

        return total;
    }

    private static async Task<Histogram> RawAsync(PromoterDb db, List<Guid> surveys, DateTime from, DateTime to, CancellationToken ct)
    {
        var histogram = new Histogram();
        var counts = await db.Responses.AsNoTracking()
            .Where(r => surveys.Contains(r.SurveyId) && r.Status == ResponseStatus.Final && r.RespondedAt >= from && r.RespondedAt < to)
            .GroupBy(r => r.Score).Select(g => new { Score = g.Key, N = g.LongCount() }).ToListAsync(ct);
        foreach (var c in counts)
        {
            histogram.Counts[c.Score] = c.N;
        }

        return histogram;
    }

    /// <summary>
    /// Percents and NPS rounded half away from zero, as Ruby's <c>round</c> (Delighted's back end) does; the NPS is the
    /// rounded exact score, not the difference of rounded percents. An empty range is all zeros, as Delighted answered it.
    /// </summary>
    public static JsonObject Write(Histogram histogram)
    {
        var counts = histogram.ToDistribution().ToCounts();
        var n = counts.N;
        long Percent(long part) => n == 0 ? 0 : (long)Math.Round(100.0 * part / n, MidpointRounding.AwayFromZero);
        return new JsonObject
        {
            ["nps"] = n == 0 ? 0 : (long)Math.Round(100.0 * (counts.Promoters - counts.Detractors) / n, MidpointRounding.AwayFromZero),
            ["promoter_count"] = counts.Promoters,
            ["promoter_percent"] = Percent(counts.Promoters),
            ["passive_count"] = counts.Passives,
            ["passive_percent"] = Percent(counts.Passives),
            ["detractor_count"] = counts.Detractors,
            ["detractor_percent"] = Percent(counts.Detractors),
            ["response_count"] = n,
        };
    }
}
