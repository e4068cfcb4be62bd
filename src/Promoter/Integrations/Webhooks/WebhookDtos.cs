using System.Text.Json.Serialization;

namespace Promoter.Integrations.Webhooks;

/// <summary>The body of <c>POST /api/v1/webhooks</c> and <c>PATCH /api/v1/webhooks/{id}</c>; on PATCH, absent fields stay as they are.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record WebhookInput
{
    /// <summary>https URL of the receiver (http only where the operator allows it).</summary>
    public string? Url { get; init; }

    /// <summary>A note for people ("CRM sync"); empty clears it.</summary>
    public string? Description { get; init; }

    public bool? Enabled { get; init; }

    /// <summary><c>standard</c> (default) or <c>delighted</c>.</summary>
    public string? Format { get; init; }

    /// <summary>Event types to receive, e.g. <c>["response.created", "response.updated"]</c>.</summary>
    public List<string?>? EventTypes { get; init; }
}

/// <summary>An endpoint as the API shows it. The secret appears only in the answers to create and rotate.</summary>
public sealed record WebhookDto(
    Guid Id,
    string Url,
    string? Description,
    bool Enabled,
    WebhookFormat Format,
    IReadOnlyList<string> EventTypes,
    WebhookDisabledReason? DisabledReason,
    DateTime? DisabledAt,
    DateTime? FailingSince,
    DateTime? LastSuccessAt,
    DateTime? PreviousSecretValidUntil,
    DateTime CreatedAt,
    DateTime UpdatedAt)
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Secret { get; init; }

    /// <summary>
    /// Hook URLs are often credentials themselves (a Slack incoming-webhook URL is one), so only those who may change an
    /// endpoint see its path and query; everyone else sees where it points.
    /// </summary>
    public static WebhookDto From(WebhookEndpoint e, bool fullUrl, DateTime now) => new(
        e.Id, fullUrl ? e.Url : MaskUrl(e.Url), e.Description, e.Enabled, e.Format, e.EventTypes, e.DisabledReason, e.DisabledAt, e.FailingSince,
        e.LastSuccessAt, e.PreviousSecretExpiresAt > now ? e.PreviousSecretExpiresAt : null, e.CreatedAt, e.UpdatedAt);

    public static string MaskUrl(string url) =>
        !Uri.TryCreate(url, UriKind.Absolute, out var u) ? "…"
        : u.PathAndQuery is "/" or "" ? $"{u.Scheme}://{u.Authority}/"
        : $"{u.Scheme}://{u.Authority}/…";
}

public sealed record RotatedSecretDto(Guid Id, string Secret, DateTime PreviousSecretValidUntil);

public sealed record DeliveryDto(
    long Id,
    string MessageId,
    string EventType,
    string ResourceId,
    WebhookDeliveryStatus Status,
    int Attempts,
    DateTime? NextAttemptAt,
    DateTime? LastAttemptAt,
    int? LastStatusCode,
    string? LastError,
    DateTime CreatedAt,
    DateTime? CompletedAt,
    long? ReplayOf);

public sealed record AttemptDto(int Number, DateTime AttemptedAt, int DurationMs, int? StatusCode, bool Succeeded, string? Error, string? ResponseBody);

/// <summary>A delivery with its log: every attempt, and the exact body sent (null until the first attempt renders it).</summary>
public sealed record DeliveryDetailDto(DeliveryDto Delivery, string? Body, IReadOnlyList<AttemptDto> Attempts);

/// <summary>Newest first; pass <see cref="NextBefore"/> as <c>before</c> for the next page.</summary>
public sealed record DeliveryPage(IReadOnlyList<DeliveryDto> Data, long? NextBefore);
