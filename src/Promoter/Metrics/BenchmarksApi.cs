using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Promoter.Accounts;
using Promoter.Data;
using Promoter.Platform;

namespace Promoter.Metrics;

public sealed record StandingReport(NpsReport Current, BenchmarkDto Benchmark, string? Relative, string? Absolute, double? Target, double? Gap, double? SuggestedTarget);

/// <summary><c>/api/v1/benchmarks</c> and each survey's standing: benchmark, classification, target and gap.</summary>
public static class BenchmarksApi
{
    public static IEndpointRouteBuilder MapBenchmarksApi(this IEndpointRouteBuilder app)
    {
        var benchmarks = app.MapGroup("/api/v1/benchmarks").WithTags("Benchmarks").RequireAuthorization();
        benchmarks.MapGet("/", List).RequireScope(Scopes.MetricsRead)
            .WithSummary("List benchmarks (built-in and the workspace's own), each with its source and year");
        benchmarks.MapPost("/", Create).RequireScope(Scopes.SurveysWrite)
            .WithSummary("Add a benchmark with its source and year");
        benchmarks.MapDelete("/{id:guid}", Delete).RequireScope(Scopes.SurveysWrite)
            .WithSummary("Delete one of the workspace's benchmarks");

        var survey = app.MapGroup("/api/v1/surveys/{id:guid}").WithTags("Benchmarks").RequireAuthorization();
        survey.MapGet("/standing", GetStanding).RequireScope(Scopes.MetricsRead)
            .WithSummary("A survey's NPS against a benchmark: classification, target and gap");
        survey.MapPut("/target", SetTarget).RequireScope(Scopes.SurveysWrite)
            .WithSummary("Set a survey's NPS target");
        return app;
    }

    [JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
    public sealed record BenchmarkInput(string? Industry, string? Segment, double? Low, double? Average, double? High, string? Source, int? Year);

    [JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
    public sealed record TargetInput(double? TargetNps, string? BenchmarkId);

    public static async Task<List<BenchmarkDto>> AllAsync(PromoterDb db, BenchmarkCatalog catalog, CancellationToken ct) =>
        [.. catalog.BuiltIn, .. (await db.Benchmarks.AsNoTracking().OrderBy(b => b.CreatedAt).ToListAsync(ct)).Select(ToDto)];

    private static async Task<Ok<List<BenchmarkDto>>> List(PromoterDb db, BenchmarkCatalog catalog, CancellationToken ct) =>
        TypedResults.Ok(await AllAsync(db, catalog, ct));

    private static async Task<Created<BenchmarkDto>> Create(BenchmarkInput body, PromoterDb db, TimeProvider clock, AuditLog audit, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var industry = TextInput.Line(body.Industry, "industry", 200, errors);
        var source = TextInput.Line(body.Source, "source", 500, errors);
        if (industry is null)
        {
            errors.Add("industry", "Name the industry or peer group.");
        }

        if (source is null)
        {
            errors.Add("source", "Say where the figures come from; a benchmark without a source cannot be judged.");
        }

        if (body.Segment is not (null or "all" or "b2b" or "b2c"))
        {
            errors.Add("segment", "Use all, b2b or b2c.");
        }

        if (body.Average is not { } average || !InRange(average))
        {
            errors.Add("average", "Give the average NPS, from -100 to 100.");
        }
        else if ((body.Low is { } low && (!InRange(low) || low > average)) || (body.High is { } high && (!InRange(high) || high < average)))
        {
            errors.Add("low", "Low ≤ average ≤ high, each from -100 to 100.");
        }

        if (body.Year is < 1990 or > 2100)
        {
            errors.Add("year", "Use a year from 1990 to 2100.");
        }

        errors.ThrowIfAny();
        var benchmark = new Benchmark
        {
            Id = Guid.CreateVersion7(clock.GetUtcNow()), Industry = industry!, Segment = body.Segment ?? "all", Low = body.Low,
            Average = body.Average!.Value, High = body.High, Source = source!, Year = body.Year, CreatedAt = clock.GetUtcNow().UtcDateTime,
        };
        db.Benchmarks.Add(benchmark);
        audit.Record("benchmark.created", $"benchmark:{benchmark.Id}", benchmark.Industry);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/v1/benchmarks/{benchmark.Id}", ToDto(benchmark));
    }

    private static async Task<NoContent> Delete(Guid id, PromoterDb db, AuditLog audit, CancellationToken ct)
    {
        var benchmark = await db.Benchmarks.SingleOrDefaultAsync(b => b.Id == id, ct) ?? throw new NotFoundException("benchmark");
        db.Benchmarks.Remove(benchmark);
        audit.Record("benchmark.deleted", $"benchmark:{id}");
        await db.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }

    private static async Task<Ok<StandingReport>> GetStanding(Guid id, HttpRequest request, PromoterDb db, MetricsReports reports, BenchmarkCatalog catalog, CancellationToken ct)
    {
        var survey = await db.Surveys.AsNoTracking().SingleOrDefaultAsync(s => s.Id == id, ct) ?? throw new NotFoundException("survey");
        var errors = new FieldErrors();
        var q = await MetricsQuery.ParseAsync(request.Query, [id], db, errors, [], ct);
        errors.ThrowIfAny();
        return TypedResults.Ok(await StandingAsync(survey, q, db, reports, catalog, ct));
    }

    public static async Task<StandingReport> StandingAsync(Surveys.Survey survey, MetricsQuery q, PromoterDb db, MetricsReports reports, BenchmarkCatalog catalog, CancellationToken ct)
    {
        var all = await AllAsync(db, catalog, ct);
        var benchmark = all.FirstOrDefault(b => b.Id == survey.BenchmarkId) ?? all.First(b => b.Id == BenchmarkCatalog.DefaultId);
        var current = await reports.NpsAsync(q, ct);
        var nps = current.Summary.Nps;
        return new StandingReport(current, benchmark,
            nps is { } v ? Standing.Relative(v, benchmark) : null,
            nps is { } a ? Standing.Absolute(a) : null,
            survey.TargetNps,
            nps is { } n && survey.TargetNps is { } t ? t - n : null,
            nps is { } s ? Standing.SuggestTarget(s, current.Summary.MarginOfError, benchmark) : null);
    }

    private static async Task<Ok<TargetInput>> SetTarget(Guid id, TargetInput body, PromoterDb db, BenchmarkCatalog catalog, AuditLog audit, CancellationToken ct)
    {
        var survey = await db.Surveys.SingleOrDefaultAsync(s => s.Id == id, ct) ?? throw new NotFoundException("survey");
        var errors = new FieldErrors();
        if (body.TargetNps is { } target && !InRange(target))
        {
            errors.Add("targetNps", "Use a target from -100 to 100.");
        }

        if (body.BenchmarkId is { } benchmarkId && !(await AllAsync(db, catalog, ct)).Any(b => b.Id == benchmarkId))
        {
            errors.Add("benchmarkId", "No such benchmark; list them at /api/v1/benchmarks.");
        }

        errors.ThrowIfAny();
        survey.TargetNps = body.TargetNps;
        survey.BenchmarkId = body.BenchmarkId;
        audit.Record("survey.target_set", $"survey:{id}", $"{body.TargetNps} vs {body.BenchmarkId}");
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(body);
    }

    private static bool InRange(double value) => double.IsFinite(value) && value is >= -100 and <= 100;

    private static BenchmarkDto ToDto(Benchmark b) => new(b.Id.ToString(), b.Industry, b.Segment, b.Low, b.Average, b.High, b.Source, b.Year, false);
}
