using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Promoter.Accounts;
using Promoter.Data;
using Promoter.Platform;

namespace Promoter.Integrations.Webhooks;

/// <summary><c>/api/v1/webhooks</c>: endpoints, their secrets, their delivery log and replays.</summary>
public static class WebhooksApi
{
    public static IEndpointRouteBuilder MapWebhooksApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/webhooks").WithTags("Webhooks").RequireAuthorization();
        api.MapGet("/", List).RequireScope(Scopes.WebhooksRead)
            .WithSummary("List webhook endpoints");
        api.MapPost("/", Create).RequireScope(Scopes.WebhooksWrite)
            .WithSummary("Create a webhook endpoint; the signing secret is shown once");
        api.MapGet("/{id:guid}", Get).RequireScope(Scopes.WebhooksRead)
            .WithSummary("Get a webhook endpoint");
        api.MapPatch("/{id:guid}", Update).RequireScope(Scopes.WebhooksWrite)
            .WithSummary("Change a webhook endpoint (URL, events, payload format, enabled)");
        api.MapDelete("/{id:guid}", Delete).RequireScope(Scopes.WebhooksWrite)
            .WithSummary("Delete a webhook endpoint");
        api.MapPost("/{id:guid}/rotate-secret", RotateSecret).RequireScope(Scopes.WebhooksWrite)
            .WithSummary("Rotate a webhook endpoint's signing secret");
        api.MapGet("/{id:guid}/deliveries", Deliveries).RequireScope(Scopes.WebhooksRead)
            .WithSummary("List an endpoint's deliveries, newest first");
        api.MapGet("/{id:guid}/deliveries/{deliveryId:long}", Delivery).RequireScope(Scopes.WebhooksRead)
            .WithSummary("Get a delivery with its payload and attempts");
        api.MapPost("/{id:guid}/deliveries/{deliveryId:long}/replay", Replay).RequireScope(Scopes.WebhooksWrite)
            .WithSummary("Send a delivery again");
        return app;
    }

    private static bool SeesFullUrl(ClaimsPrincipal user) => user.HasScope(Scopes.WebhooksWrite);

    private static DateTime Now(TimeProvider clock) => clock.GetUtcNow().UtcDateTime;

    private static async Task<Ok<List<WebhookDto>>> List(PromoterDb db, ClaimsPrincipal user, TimeProvider clock, CancellationToken ct) =>
        TypedResults.Ok((await db.WebhookEndpoints.AsNoTracking().OrderBy(e => e.CreatedAt).ToListAsync(ct))
            .Select(e => WebhookDto.From(e, SeesFullUrl(user), Now(clock))).ToList());

    private static async Task<Created<WebhookDto>> Create(WebhookInput body, WebhookEndpointEditor editor, TimeProvider clock, CancellationToken ct)
    {
        var issued = await editor.CreateAsync(body, ct);
        return TypedResults.Created($"/api/v1/webhooks/{issued.Endpoint.Id}",
            WebhookDto.From(issued.Endpoint, fullUrl: true, Now(clock)) with { Secret = issued.Secret });
    }

    private static async Task<Ok<WebhookDto>> Get(Guid id, WebhookEndpointEditor editor, ClaimsPrincipal user, TimeProvider clock, CancellationToken ct) =>
        TypedResults.Ok(WebhookDto.From(await editor.FindAsync(id, ct), SeesFullUrl(user), Now(clock)));

    private static async Task<Ok<WebhookDto>> Update(Guid id, WebhookInput body, WebhookEndpointEditor editor, TimeProvider clock, CancellationToken ct) =>
        TypedResults.Ok(WebhookDto.From(await editor.UpdateAsync(id, body, ct), fullUrl: true, Now(clock)));

    private static async Task<NoContent> Delete(Guid id, WebhookEndpointEditor editor, CancellationToken ct)
    {
        await editor.DeleteAsync(id, ct);
        return TypedResults.NoContent();
    }

    private static async Task<Ok<RotatedSecretDto>> RotateSecret(Guid id, WebhookEndpointEditor editor, CancellationToken ct)
    {
        var issued = await editor.RotateSecretAsync(id, ct);
        return TypedResults.Ok(new RotatedSecretDto(id, issued.Secret, issued.Endpoint.PreviousSecretExpiresAt!.Value));
    }

    private static async Task<Ok<DeliveryPage>> Deliveries(Guid id, string? status, long? before, int? limit, WebhookDeliveryLog log, CancellationToken ct)
    {
        var errors = new FieldErrors();
        WebhookDeliveryStatus? wanted = status switch
        {
            null => null,
            "pending" => WebhookDeliveryStatus.Pending,
            "succeeded" => WebhookDeliveryStatus.Succeeded,
            "failed" => WebhookDeliveryStatus.Failed,
            _ => null,
        };
        if (status is not null && wanted is null)
        {
            errors.Add("status", "Use pending, succeeded or failed.");
        }

        if (limit is < 1 or > WebhookDeliveryLog.MaxPage)
        {
            errors.Add("limit", $"Use 1 to {WebhookDeliveryLog.MaxPage}.");
        }

        errors.ThrowIfAny();
        return TypedResults.Ok(await log.ListAsync(id, wanted, before, limit ?? 50, ct));
    }

    private static async Task<Ok<DeliveryDetailDto>> Delivery(Guid id, long deliveryId, WebhookDeliveryLog log, CancellationToken ct) =>
        TypedResults.Ok(await log.GetAsync(id, deliveryId, ct));

    private static async Task<Accepted<DeliveryDto>> Replay(Guid id, long deliveryId, WebhookDeliveryLog log, CancellationToken ct)
    {
        var replay = await log.ReplayAsync(id, deliveryId, ct);
        return TypedResults.Accepted($"/api/v1/webhooks/{id}/deliveries/{replay.Id}", replay);
    }
}
