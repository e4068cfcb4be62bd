using Microsoft.Extensions.Caching.Memory;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Promoter.Accounts;
using Promoter.Data;
using Promoter.Platform;

namespace Promoter.Surveys;

/// <summary><c>/api/v1/surveys</c>: create, read and replace surveys.</summary>
public static class SurveysApi
{
    public static IEndpointRouteBuilder MapSurveysApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/surveys").WithTags("Surveys").RequireAuthorization();
        api.MapGet("/", List).RequireScope(Scopes.SurveysRead)
            .WithSummary("List the workspace's surveys");
        api.MapPost("/", Create).RequireScope(Scopes.SurveysWrite)
            .WithSummary("Create a survey");
        api.MapGet("/{id:guid}", Get).RequireScope(Scopes.SurveysRead).WithName("GetSurvey")
            .WithSummary("Get a survey with its languages, questions and thank-you pages");
        api.MapPut("/{id:guid}", Replace).RequireScope(Scopes.SurveysWrite)
            .WithSummary("Replace a survey's settings, questions and texts");
        api.MapGet("/{id:guid}/qr", Qr).RequireScope(Scopes.SurveysRead)
            .WithSummary("QR code (SVG) of the survey's anonymous link, for kiosks and print");
        return app;
    }

    private static async Task<Ok<List<SurveyDto>>> List(PromoterDb db, PublicUrls urls, CancellationToken ct) =>
        TypedResults.Ok((await db.Surveys.AsNoTracking().OrderBy(s => s.CreatedAt).ToListAsync(ct)).Select(s => SurveyDto.From(s, urls.Base)).ToList());

    private static async Task<Ok<SurveyDto>> Get(Guid id, PromoterDb db, PublicUrls urls, CancellationToken ct) =>
        TypedResults.Ok(SurveyDto.From(await Find(db, id, ct), urls.Base));

    private static async Task<Created<SurveyDto>> Create(SurveyInput body, SurveyEditor editor, PromoterDb db, AuditLog audit, PublicUrls urls, CancellationToken ct)
    {
        var survey = editor.Create(body);
        db.Surveys.Add(survey);
        audit.Record("survey.created", $"survey:{survey.Id}", survey.Name);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/v1/surveys/{survey.Id}", SurveyDto.From(survey, urls.Base));
    }

    private static async Task<Ok<SurveyDto>> Replace(Guid id, SurveyInput body, SurveyEditor editor, PromoterDb db, AuditLog audit, PublicUrls urls,
        IMemoryCache cache, CancellationToken ct)
    {
        var survey = await Find(db, id, ct);
        editor.Apply(survey, body);
        audit.Record("survey.updated", $"survey:{survey.Id}", survey.Name);
        await db.SaveChangesAsync(ct);
        Collect.IntakeSurveys.Forget(cache, survey.WorkspaceId, survey.Id);
        return TypedResults.Ok(SurveyDto.From(survey, urls.Base));
    }

    /// <summary>The public link as a QR code: <c>?format=svg</c> (default) or <c>png</c>, optionally <c>&amp;kiosk=true</c>.</summary>
    private static async Task<IResult> Qr(Guid id, string? format, bool? kiosk, PromoterDb db, PublicUrls urls, CancellationToken ct)
    {
        var survey = await Find(db, id, ct);
        var url = urls.Survey(survey.Id) + (kiosk == true ? "?kiosk=1" : "");
        return format?.ToLowerInvariant() switch
        {
            null or "svg" => Results.Text(QrCodes.Svg(url), "image/svg+xml"),
            "png" => Results.File(QrCodes.Png(url), "image/png", $"survey-{survey.Id}.png"),
            _ => throw RequestValidationException.For("format", "Use svg or png."),
        };
    }

    private static async Task<Survey> Find(PromoterDb db, Guid id, CancellationToken ct) =>
        await db.Surveys.SingleOrDefaultAsync(s => s.Id == id, ct) ?? throw new NotFoundException("survey");
}
