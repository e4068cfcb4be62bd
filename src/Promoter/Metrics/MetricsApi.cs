using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Promoter.Accounts;
using Promoter.Data;
using Promoter.Platform;

namespace Promoter.Metrics;

/// <summary>
/// <c>/api/v1/surveys/{id}/nps|trend|breakdown|compare</c> and <c>/api/v1/segments</c>. NPS values are points on
/// −100..100; dates are workspace-local days (yyyy-MM-dd, inclusive).
/// </summary>
public static class MetricsApi
{
    public static IEndpointRouteBuilder MapMetricsApi(this IEndpointRouteBuilder app)
    {
        var surveys = app.MapGroup("/api/v1/surveys/{id:guid}").WithTags("Metrics").RequireAuthorization();
        surveys.MapGet("/nps", Nps).RequireScope(Scopes.MetricsRead)
            .WithSummary("NPS with counts, distribution, confidence interval and change against the previous period");
        surveys.MapGet("/trend", Trend).RequireScope(Scopes.MetricsRead)
            .WithSummary("NPS by day, week, month or quarter with confidence band and control-limit alerts");
        surveys.MapGet("/breakdown", Breakdown).RequireScope(Scopes.MetricsRead)
            .WithSummary("NPS per segment (a property, channel, language, touchpoint or team member)");
        surveys.MapGet("/compare", Compare).RequireScope(Scopes.MetricsRead)
            .WithSummary("Whether two periods or segments differ significantly (signed difference, z, p)");

        var segments = app.MapGroup("/api/v1/segments").WithTags("Metrics").RequireAuthorization();
        segments.MapGet("/", ListSegments).RequireScope(Scopes.MetricsRead)
            .WithSummary("List the property keys declared as segments");
        segments.MapPut("/", ReplaceSegments).RequireScope(Scopes.WorkspaceWrite)
            .WithSummary("Replace the property keys used as segments");
        return app;
    }

    private static async Task<MetricsQuery> ParseAsync(HttpRequest request, Guid id, PromoterDb db, string[] extra, FieldErrors errors, CancellationToken ct)
    {
        if (!await db.Surveys.AnyAsync(s => s.Id == id, ct))
        {
            throw new NotFoundException("survey");
        }

        return await MetricsQuery.ParseAsync(request.Query, [id], db, errors, extra, ct);
    }

    private static async Task<Ok<NpsReport>> Nps(Guid id, HttpRequest request, PromoterDb db, MetricsReports reports, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var q = await ParseAsync(request, id, db, [], errors, ct);
        errors.ThrowIfAny();
        return TypedResults.Ok(await reports.NpsAsync(q, ct));
    }

    private static async Task<Ok<TrendReport>> Trend(Guid id, HttpRequest request, PromoterDb db, MetricsReports reports, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var q = await ParseAsync(request, id, db, ["interval"], errors, ct);
        if (!Periods.TryParse(MetricsQuery.One(request.Query, "interval", errors), out var interval))
        {
            errors.Add("interval", "Use day, week, month or quarter.");
        }

        errors.ThrowIfAny();
        var to = q.To ?? await reports.TodayAsync(ct);
        var from = q.From ?? Periods.StartOf(to.AddMonths(-11), interval);
        if (Periods.Count(from, to, interval) > Periods.MaxPeriods)
        {
            throw RequestValidationException.For("interval", $"That range has more than {Periods.MaxPeriods} {interval.ToString().ToLowerInvariant()}s; use a longer interval or a shorter range.");
        }

        return TypedResults.Ok(await reports.TrendAsync(q with { From = from, To = to }, interval, ct));
    }

    private static async Task<Ok<BreakdownReport>> Breakdown(Guid id, HttpRequest request, PromoterDb db, MetricsReports reports, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var q = await ParseAsync(request, id, db, ["by"], errors, ct);
        var by = MetricsQuery.One(request.Query, "by", errors);
        string? dimension = by switch
        {
            null => null,
            "channel" => Rollup.Channel,
            "language" => Rollup.Language,
            "touchpoint" => Rollup.Touchpoint,
            "teamMember" => Rollup.Team,
            "theme" => Rollup.Theme,
            _ => await db.SegmentKeys.AnyAsync(s => s.Key == by, ct) ? Rollup.PropertyPrefix + by : null,
        };
        if (dimension is null)
        {
            errors.Add("by", "Use channel, language, touchpoint, teamMember, theme or a declared segment property.");
        }
        else if (q.Filter.Dimensions.ContainsKey(dimension))
        {
            errors.Add("by", "Breaking down by a dimension that is also filtered gives one row; drop the filter.");
        }

        errors.ThrowIfAny();
        return TypedResults.Ok(await reports.BreakdownAsync(q, by!, dimension!, ct));
    }

    private static async Task<Ok<CompareReport>> Compare(Guid id, HttpRequest request, PromoterDb db, MetricsReports reports, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var q = await ParseAsync(request, id, db, ["previousFrom", "previousTo"], errors, ct);
        var previousFrom = MetricsQuery.Date(request.Query, "previousFrom", errors);
        var previousTo = MetricsQuery.Date(request.Query, "previousTo", errors);
        if (previousFrom is null || previousTo is null || q.From is null || q.To is null)
        {
            errors.Add("previousFrom", "Give from, to, previousFrom and previousTo.");
        }
        else if (previousFrom > previousTo)
        {
            errors.Add("previousFrom", "'previousFrom' must not be after 'previousTo'.");
        }

        errors.ThrowIfAny();
        return TypedResults.Ok(await reports.CompareAsync(q, previousFrom, previousTo, ct));
    }

    public sealed record SegmentsDto(IReadOnlyList<string> Keys);

    [JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
    public sealed record SegmentsInput(List<string>? Keys);

    private static async Task<Ok<SegmentsDto>> ListSegments(PromoterDb db, CancellationToken ct) =>
        TypedResults.Ok(new SegmentsDto(await db.SegmentKeys.OrderBy(s => s.Key).Select(s => s.Key).ToListAsync(ct)));

    /// <summary>Declares the properties NPS is measured by; rollups are recounted so they cover the new set at once.</summary>
    private static async Task<Ok<SegmentsDto>> ReplaceSegments(SegmentsInput body, PromoterDb db, RollupMaintenance maintenance, AuditLog audit, TimeProvider clock, CancellationToken ct)
    {
        var keys = (body.Keys ?? []).Distinct(StringComparer.Ordinal).ToList();
        var errors = new FieldErrors();
        if (keys.Count > SegmentKey.MaxPerWorkspace)
        {
            errors.Add("keys", $"Declare at most {SegmentKey.MaxPerWorkspace} segment properties.");
        }

        foreach (var key in keys.Where(k => !TextInput.IsPropertyKey(k)))
        {
            errors.Add("keys", $"'{(key.Length > 64 ? key[..64] : key)}' is not a property name (letters, digits, '_', '.', '-').");
        }

        errors.ThrowIfAny();
        audit.Record("segments.replaced", $"workspace:{db.Workspace.RequiredWorkspaceId}", string.Join(",", keys));
        await maintenance.ReplaceSegmentsAsync(keys, clock.GetUtcNow().UtcDateTime, ct);
        return TypedResults.Ok(new SegmentsDto(keys.Order(StringComparer.Ordinal).ToList()));
    }
}
