using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Promoter.Accounts;
using Promoter.Distribution.Contacts;
using Promoter.Platform;

namespace Promoter.Churn;

/// <summary>A contact's risk with its history, <c>GET /api/v1/contacts/{id}/risk</c>.</summary>
public sealed record ContactRiskDto(Guid ContactId, RiskDto? Risk, IReadOnlyList<RiskHistoryDto> History);

/// <summary>
/// <c>POST /api/v1/churn-events</c>, <c>GET /api/v1/churn/model</c>, <c>GET /api/v1/contacts/at-risk</c> and
/// <c>GET /api/v1/contacts/{id}/risk</c>.
/// </summary>
public static class ChurnApi
{
    public const int HistoryPoints = 100;

    public static IEndpointRouteBuilder MapChurnApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1").WithTags("Churn").RequireAuthorization();
        api.MapPost("/churn-events", Record).RequireScope(Scopes.ContactsWrite)
            .WithSummary("Record that a customer left (contact email or id, or account; time; reason; revenue); repeating it returns the stored event");
        api.MapGet("/churn/model", async (ChurnModelFitter fitter, CancellationToken ct) => TypedResults.Ok(await fitter.CurrentAsync(ct)))
            .RequireScope(Scopes.MetricsRead)
            .WithSummary("The churn model card: rules or fitted, events used, holdout AUC with its interval, calibration, churn by NPS category, coefficients");
        api.MapGet("/contacts/at-risk", AtRisk).RequireScope(Scopes.ContactsRead)
            .WithSummary("Contacts by churn risk, highest first, with reasons and the recommended action (cursor paging, property filters)");
        api.MapGet("/contacts/{id:guid}/risk", RiskOf).RequireScope(Scopes.ContactsRead)
            .WithSummary("A contact's churn risk with its reasons, recommended action and history");
        return app;
    }

    /// <summary>201 with the new event; 200 with the stored one when it was recorded before (idempotent).</summary>
    private static async Task<Results<Created<ChurnEventDto>, Ok<ChurnEventDto>>> Record(ChurnEventInput body, ChurnEventRecorder recorder, CancellationToken ct)
    {
        var recorded = await recorder.RecordAsync(body, "api", ct);
        var dto = ChurnEventDto.From(recorded.Event);
        return recorded.Created ? TypedResults.Created($"/api/v1/churn-events/{dto.Id}", dto) : TypedResults.Ok(dto);
    }

    private static async Task<Ok<AtRiskListDto>> AtRisk(HttpRequest request, ClaimsPrincipal user, AtRiskQueries queries, string? cursor, int? limit, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var filter = AtRiskFilter.Parse(request.Query, user.UserIdOf(), errors);
        errors.ThrowIfAny();
        return TypedResults.Ok(await queries.PageAsync(user, filter, cursor, limit, ct));
    }

    private static async Task<Ok<ContactRiskDto>> RiskOf(Guid id, ClaimsPrincipal user, ContactQueries contacts, AtRiskQueries queries, CancellationToken ct)
    {
        var contact = await contacts.GetAsync(id, ct);
        var risk = await queries.RiskOfAsync(user, contact.Id, ct);
        return TypedResults.Ok(new ContactRiskDto(contact.Id, risk is null ? null : RiskDto.From(risk),
            risk is null ? [] : await queries.HistoryAsync(contact.Id, HistoryPoints, ct)));
    }
}
