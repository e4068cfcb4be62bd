using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Promoter.Accounts;
using Promoter.Core.Statistics;
using Promoter.Core.Text;
using Promoter.Data;
using Promoter.Metrics;
using Promoter.Platform;

namespace Promoter.Understand;

public sealed record ThemeDto(Guid Id, string Name, IReadOnlyDictionary<string, List<string>> Terms, DateTime CreatedAt, DateTime UpdatedAt);

public sealed record ThemeJobDto(Guid Id, string Status, long Done, long Total, int Chunks, DateTime CreatedAt, DateTime? FinishedAt);

/// <summary>Comments waiting to be indexed and the latest re-tagging job: what the Why numbers do not count yet.</summary>
public sealed record IndexingProgress(ThemeJobDto? Retagging, long Queued)
{
    public bool Pending => Queued > 0 || Retagging is { Status: "pending" or "running" };
}

public sealed record ThemeList(IReadOnlyList<ThemeDto> Items, ThemeJobDto? Retagging, long Queued);

/// <summary>The Why section's options, parsed strictly (a 400 naming the parameter): shared by the API and the dashboard.</summary>
public sealed record WordsOptions(string? Language, WordsCompare Compare, KeynessOptions Keyness, int Limit)
{
    public const int DefaultLimit = 25;
    public const double MaxPrior = 1_000_000;

    public static readonly string[] Parameters = ["compare", "prior", "priorStrength", "alpha", "minCount", "limit"];

    /// <summary>The words endpoint's <c>language</c> is the text pipeline's (en, sv, mk, ar, th), not a filter on the response's tag.</summary>
    public static IQueryCollection WithoutLanguage(IQueryCollection query) =>
        new QueryCollection(query.Where(q => q.Key != "language").ToDictionary(q => q.Key, q => q.Value));

    public static WordsOptions Parse(IQueryCollection query, FieldErrors errors)
    {
        string? language = null;
        if (MetricsQuery.One(query, "language", errors) is { Length: > 0 } l)
        {
            if (TextLanguages.Supported.Contains(l))
            {
                language = l;
            }
            else
            {
                errors.Add("language", $"Use one of {string.Join(", ", TextLanguages.Supported)}.");
            }
        }

        var compare = MetricsQuery.One(query, "compare", errors) switch
        {
            null or "" or "detractors-promoters" => WordsCompare.DetractorsPromoters,
            "passives-rest" => WordsCompare.PassivesRest,
            "each" => WordsCompare.Each,
            _ => Fail(errors, "compare", "Use detractors-promoters, passives-rest or each.", WordsCompare.DetractorsPromoters),
        };
        var prior = MetricsQuery.One(query, "prior", errors) switch
        {
            null or "" or "informative" => KeynessPrior.Informative,
            "uniform" => KeynessPrior.Uniform,
            _ => Fail(errors, "prior", "Use informative or uniform.", KeynessPrior.Informative),
        };
        var strength = Number(query, "priorStrength", 10, errors);
        var alpha = Number(query, "alpha", 0.01, errors);
        var minCount = Whole(query, "minCount", 5, 1, 1_000_000, errors);
        var limit = Whole(query, "limit", DefaultLimit, 1, WhyReports.MaxLimit, errors);
        return new WordsOptions(language, compare, new KeynessOptions(prior, strength, alpha, minCount), limit);
    }

    private static T Fail<T>(FieldErrors errors, string field, string message, T fallback)
    {
        errors.Add(field, message);
        return fallback;
    }

    private static double Number(IQueryCollection query, string key, double fallback, FieldErrors errors)
    {
        if (MetricsQuery.One(query, key, errors) is not { Length: > 0 } text)
        {
            return fallback;
        }

        if (!double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value) || value is <= 0 or > MaxPrior)
        {
            errors.Add(key, $"Use a number above 0 and at most {MaxPrior:N0}, e.g. {fallback.ToString(CultureInfo.InvariantCulture)}.");
            return fallback;
        }

        return value;
    }

    private static int Whole(IQueryCollection query, string key, int fallback, int min, int max, FieldErrors errors)
    {
        if (MetricsQuery.One(query, key, errors) is not { Length: > 0 } text)
        {
            return fallback;
        }

        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            errors.Add(key, $"Use a whole number from {min} to {max}.");
            return fallback;
        }

        return value;
    }
}

/// <summary>
/// <c>/api/v1/surveys/{id}/words</c> (the terms that separate detractors from promoters), <c>/api/v1/surveys/{id}/themes</c>
/// (themes with their NPS and impact) and <c>/api/v1/themes</c> (defining themes).
/// </summary>
public static class UnderstandApi
{
    public static IEndpointRouteBuilder MapUnderstandApi(this IEndpointRouteBuilder app)
    {
        var surveys = app.MapGroup("/api/v1/surveys/{id:guid}").WithTags("Understand").RequireAuthorization();
        surveys.MapGet("/words", Words).RequireScope(Scopes.MetricsRead)
            .WithSummary("Terms that separate two groups of respondents (weighted log-odds with a Dirichlet prior)");
        surveys.MapGet("/themes", ThemeStats).RequireScope(Scopes.MetricsRead)
            .WithSummary("Themes with their NPS, share and impact on NPS over the range and filters");

        var themes = app.MapGroup("/api/v1/themes").WithTags("Understand").RequireAuthorization();
        themes.MapGet("/", ListThemes).RequireScope(Scopes.MetricsRead).WithSummary("Themes, the re-tagging job's progress and the comments waiting to be indexed");
        themes.MapGet("/{id:guid}", async (Guid id, PromoterDb db, CancellationToken ct) =>
            TypedResults.Ok(Dto(await db.Themes.AsNoTracking().Include(t => t.Terms).FirstOrDefaultAsync(t => t.Id == id, ct) ?? throw new NotFoundException("theme"))))
            .RequireScope(Scopes.MetricsRead).WithSummary("One theme");
        themes.MapPost("/", async (ThemeInput body, ThemeEditor editor, CancellationToken ct) =>
        {
            var theme = await editor.CreateAsync(body, ct);
            return TypedResults.Created($"/api/v1/themes/{theme.Id}", Dto(theme));
        }).RequireScope(Scopes.SurveysWrite).WithSummary("Create a theme; past responses are tagged by a background job");
        themes.MapPut("/{id:guid}", async (Guid id, ThemeInput body, ThemeEditor editor, CancellationToken ct) =>
            TypedResults.Ok(Dto(await editor.UpdateAsync(id, body, ct)))).RequireScope(Scopes.SurveysWrite)
            .WithSummary("Replace a theme's name and terms; past responses are tagged again by a background job");
        themes.MapDelete("/{id:guid}", async (Guid id, ThemeEditor editor, CancellationToken ct) =>
        {
            await editor.DeleteAsync(id, ct);
            return TypedResults.NoContent();
        }).RequireScope(Scopes.SurveysWrite).WithSummary("Delete a theme and its tags");
        return app;
    }

    public static ThemeDto Dto(Theme t) => new(t.Id, t.Name,
        t.Terms.GroupBy(x => x.Language).OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Select(x => x.Phrase).ToList()),
        t.CreatedAt, t.UpdatedAt);

    private static async Task<Ok<WordsReport>> Words(Guid id, HttpRequest request, ClaimsPrincipal user, PromoterDb db, WhyReports reports, CancellationToken ct)
    {
        if (!await db.Surveys.AnyAsync(s => s.Id == id, ct))
        {
            throw new NotFoundException("survey");
        }

        var errors = new FieldErrors();
        var options = WordsOptions.Parse(request.Query, errors);
        var q = await MetricsQuery.ParseAsync(WordsOptions.WithoutLanguage(request.Query), [id], db, errors, WordsOptions.Parameters, ct);
        errors.ThrowIfAny();
        return TypedResults.Ok(await reports.WordsAsync(q, options.Language, options.Compare, options.Keyness, options.Limit,
            examples: user.HasScope(Scopes.ResponsesRead), ct));
    }

    private static async Task<Ok<ThemesReport>> ThemeStats(Guid id, HttpRequest request, PromoterDb db, WhyReports reports, CancellationToken ct)
    {
        if (!await db.Surveys.AnyAsync(s => s.Id == id, ct))
        {
            throw new NotFoundException("survey");
        }

        var errors = new FieldErrors();
        var q = await MetricsQuery.ParseAsync(request.Query, [id], db, errors, [], ct);
        errors.ThrowIfAny();
        return TypedResults.Ok(await reports.ThemesAsync(q, ct));
    }

    private static async Task<Ok<ThemeList>> ListThemes(PromoterDb db, CancellationToken ct)
    {
        var themes = await db.Themes.AsNoTracking().Include(t => t.Terms).OrderBy(t => t.Name).ToListAsync(ct);
        var progress = await ProgressAsync(db, ct);
        return TypedResults.Ok(new ThemeList(themes.Select(Dto).ToList(), progress.Retagging, progress.Queued));
    }

    /// <summary>The latest re-tagging job and the comments waiting to be indexed: shown by the API, the dashboard and the themes page.</summary>
    public static async Task<IndexingProgress> ProgressAsync(PromoterDb db, CancellationToken ct)
    {
        var job = await db.ThemeJobs.AsNoTracking().Where(j => j.Status != ThemeJobStatus.Superseded).OrderByDescending(j => j.CreatedAt).FirstOrDefaultAsync(ct);
        var workspaceId = db.Workspace.RequiredWorkspaceId;
        var queued = await db.TextQueue.LongCountAsync(q => q.WorkspaceId == workspaceId, ct);
        return new IndexingProgress(job is null ? null : new ThemeJobDto(job.Id, job.Status.ToString().ToLowerInvariant(), job.Done, job.Total, job.Chunks, job.CreatedAt, job.FinishedAt),
            queued);
    }
}
