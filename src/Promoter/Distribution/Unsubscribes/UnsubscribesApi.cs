using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Promoter.Accounts;
using Promoter.Data;
using Promoter.Platform;
using Promoter.Platform.Email;

namespace Promoter.Distribution.Unsubscribes;

/// <summary><c>/api/v1/unsubscribes</c>: add people who opted out elsewhere (a CRM, a support ticket), and list who is unsubscribed.</summary>
public static class UnsubscribesApi
{
    public const int MaxPage = 500;

    public static IEndpointRouteBuilder MapUnsubscribesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/unsubscribes").WithTags("Unsubscribes").RequireAuthorization();
        api.MapPost("/", Create).RequireScope(Scopes.ContactsWrite)
            .WithSummary("Suppress an address (it gets no more survey mail)");
        api.MapGet("/", List).RequireScope(Scopes.ContactsRead)
            .WithSummary("List suppressed addresses (unsubscribes and bounces)");
        return app;
    }

    [JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
    public sealed record UnsubscribeInput(string? Email);

    public sealed record UnsubscribePage(List<UnsubscribeDto> Data, string? NextCursor);

    /// <summary>201 when the address is new on the list, 200 when it was already there (the request is idempotent).</summary>
    private static async Task<Results<Created<UnsubscribeDto>, Ok<UnsubscribeDto>>> Create(UnsubscribeInput body, Unsubscriber unsubscriber, CancellationToken ct)
    {
        if (!EmailAddresses.TryNormalize(body.Email, out var email))
        {
            throw RequestValidationException.For("email", "Use a single email address such as ana@example.com.");
        }

        var result = await unsubscriber.UnsubscribeAsync(email, "api", ct);
        return result.Created ? TypedResults.Created("/api/v1/unsubscribes", result.Unsubscribe) : TypedResults.Ok(result.Unsubscribe);
    }

    private static async Task<Ok<UnsubscribePage>> List(string? cursor, int? limit, PromoterDb db, CancellationToken ct)
    {
        var errors = new FieldErrors();
        long after = 0;
        if (cursor is not null && (!long.TryParse(cursor, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out after) || after < 0))
        {
            errors.Add("cursor", "Use the nextCursor of the previous page.");
        }

        if (limit is < 1 or > MaxPage)
        {
            errors.Add("limit", $"Use 1 to {MaxPage}.");
        }

        errors.ThrowIfAny();
        var take = limit ?? 100;
        var rows = await db.EmailSuppressions.AsNoTracking()
            .Where(s => s.Reason == SuppressionReason.Unsubscribed && s.Id > after)
            .OrderBy(s => s.Id).Take(take + 1)
            .Select(s => new { s.Id, Dto = new UnsubscribeDto(s.EmailKey, s.Source, s.CreatedAt) }).ToListAsync(ct);
        var next = rows.Count > take ? rows[take - 1].Id.ToString(System.Globalization.CultureInfo.InvariantCulture) : null;
        return TypedResults.Ok(new UnsubscribePage(rows.Take(take).Select(r => r.Dto).ToList(), next));
    }
}
