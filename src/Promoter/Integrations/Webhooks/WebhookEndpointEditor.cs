using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Promoter.Accounts;
using Promoter.Data;
using Promoter.Platform;

namespace Promoter.Integrations.Webhooks;

/// <summary>Creating, changing, rotating and deleting endpoints: the rules shared by the API and the dashboard pages.</summary>
public sealed class WebhookEndpointEditor(PromoterDb db, WebhookUrls urls, WebhookSecrets secrets, AuditLog audit, TimeProvider clock, IOptions<WebhooksOptions> options)
{
    public const int MaxDescription = 500;

    public sealed record Issued(WebhookEndpoint Endpoint, string Secret);

    public async Task<Issued> CreateAsync(WebhookInput input, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var url = await urls.CheckAsync(input.Url, "url", errors, ct);
        var description = Description(input.Description, errors);
        var format = ParseFormat(input.Format ?? "standard", errors);
        var types = EventTypes(input.EventTypes, format ?? WebhookFormat.Standard, errors);
        errors.ThrowIfAny();

        var max = options.Value.MaxEndpointsPerWorkspace;
        if (await db.WebhookEndpoints.CountAsync(ct) >= max)
        {
            throw new ConflictException("webhook_limit_reached", $"A workspace can have at most {max} webhook endpoints; delete one first.");
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var secret = WebhookSignature.NewSecret();
        var endpoint = new WebhookEndpoint
        {
            Id = Guid.CreateVersion7(),
            Url = url!,
            Description = description,
            Format = format!.Value,
            EventTypes = types,
            Secret = secrets.Protect(secret),
            CreatedAt = now,
            UpdatedAt = now,
        };
        SetEnabled(endpoint, input.Enabled ?? true, now);
        db.WebhookEndpoints.Add(endpoint);
        audit.Record("webhook.created", $"webhook:{endpoint.Id}", WebhookDto.MaskUrl(endpoint.Url));
        await db.SaveChangesAsync(ct);
        return new Issued(endpoint, secret);
    }

    public async Task<WebhookEndpoint> UpdateAsync(Guid id, WebhookInput input, CancellationToken ct)
    {
        var endpoint = await FindAsync(id, ct);
        var errors = new FieldErrors();
        var url = input.Url is null ? endpoint.Url : await urls.CheckAsync(input.Url, "url", errors, ct);
        var description = input.Description is null ? endpoint.Description : Description(input.Description, errors);
        var format = input.Format is null ? endpoint.Format : ParseFormat(input.Format, errors);
        var types = endpoint.EventTypes;
        if (input.EventTypes is not null || format != endpoint.Format)
        {
            // A format change re-checks the subscriptions it keeps: Delighted receivers get response events only.
            types = EventTypes(input.EventTypes ?? [.. endpoint.EventTypes], format ?? endpoint.Format, errors);
        }

        errors.ThrowIfAny();
        var now = clock.GetUtcNow().UtcDateTime;
        endpoint.Url = url!;
        endpoint.Description = description;
        endpoint.Format = format!.Value;
        endpoint.EventTypes = types;
        var resuming = input.Enabled == true && !endpoint.Enabled;
        if (input.Enabled is { } enabled && enabled != endpoint.Enabled)
        {
            SetEnabled(endpoint, enabled, now);
        }

        endpoint.UpdatedAt = now;
        audit.Record("webhook.updated", $"webhook:{endpoint.Id}", WebhookDto.MaskUrl(endpoint.Url));
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.SaveChangesAsync(ct);
        if (resuming)
        {
            // Whoever re-enables an endpoint has fixed the receiver: held deliveries go now, not at the end of a backoff step.
            await db.WebhookDeliveries
                .Where(d => d.EndpointId == endpoint.Id && d.Status == WebhookDeliveryStatus.Pending && d.NextAttemptAt > now)
                .ExecuteUpdateAsync(s => s.SetProperty(d => d.NextAttemptAt, now), ct);
        }

        await tx.CommitAsync(ct);
        return endpoint;
    }

    /// <summary>A new secret; the old one keeps signing alongside it for <see cref="WebhookEndpoint.RotationOverlap"/>.</summary>
    public async Task<Issued> RotateSecretAsync(Guid id, CancellationToken ct)
    {
        var endpoint = await FindAsync(id, ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var secret = WebhookSignature.NewSecret();
        endpoint.PreviousSecret = endpoint.Secret;
        endpoint.PreviousSecretExpiresAt = now + WebhookEndpoint.RotationOverlap;
        endpoint.Secret = secrets.Protect(secret);
        endpoint.UpdatedAt = now;
        audit.Record("webhook.secret_rotated", $"webhook:{endpoint.Id}");
        await db.SaveChangesAsync(ct);
        return new Issued(endpoint, secret);
    }

    /// <summary>Deletes the endpoint with its deliveries and their log.</summary>
    public async Task DeleteAsync(Guid id, CancellationToken ct)
    {
        var endpoint = await FindAsync(id, ct);
        db.WebhookEndpoints.Remove(endpoint);
        audit.Record("webhook.deleted", $"webhook:{endpoint.Id}", WebhookDto.MaskUrl(endpoint.Url));
        await db.SaveChangesAsync(ct);
    }

    public async Task<WebhookEndpoint> FindAsync(Guid id, CancellationToken ct) =>
        await db.WebhookEndpoints.SingleOrDefaultAsync(e => e.Id == id, ct) ?? throw new NotFoundException("webhook");

    private static void SetEnabled(WebhookEndpoint endpoint, bool enabled, DateTime now)
    {
        endpoint.Enabled = enabled;
        // Enabling starts afresh: the failure streak that may have disabled it is over. Held deliveries resume.
        endpoint.DisabledReason = enabled ? null : WebhookDisabledReason.Manual;
        endpoint.DisabledAt = enabled ? null : now;
        endpoint.FailingSince = null;
    }

    private static string? Description(string? input, FieldErrors errors) => TextInput.Line(input, "description", MaxDescription, errors);

    private static WebhookFormat? ParseFormat(string input, FieldErrors errors)
    {
        switch (input)
        {
            case "standard":
                return WebhookFormat.Standard;
            case "delighted":
                return WebhookFormat.Delighted;
            default:
                errors.Add("format", "Use standard or delighted.");
                return null;
        }
    }

    private static List<string> EventTypes(List<string?>? input, WebhookFormat format, FieldErrors errors)
    {
        var known = string.Join(", ", WebhookEventTypes.All);
        if (input is null || input.Count == 0)
        {
            errors.Add("eventTypes", $"Choose at least one event type: {known}.");
            return [];
        }

        if (input.Count > WebhookEventTypes.All.Count * 2)
        {
            errors.Add("eventTypes", $"List each event type once: {known}.");
            return [];
        }

        var chosen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < input.Count; i++)
        {
            var type = input[i];
            if (!WebhookEventTypes.IsKnown(type))
            {
                errors.Add($"eventTypes[{i}]", $"Unknown event type; use one of: {known}.");
            }
            else if (format == WebhookFormat.Delighted && !WebhookEventTypes.DelightedSupports(type!))
            {
                errors.Add($"eventTypes[{i}]", "A Delighted-format endpoint receives response.created and response.updated only.");
            }
            else
            {
                chosen.Add(type!);
            }
        }

        return WebhookEventTypes.All.Where(chosen.Contains).ToList();
    }
}
