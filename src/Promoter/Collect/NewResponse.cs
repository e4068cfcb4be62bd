namespace Promoter.Collect;

/// <summary>A response ready to store: validated and cleaned by the caller.</summary>
public sealed record NewResponse
{
    public required Guid WorkspaceId { get; init; }
    public required Guid SurveyId { get; init; }
    public required short Score { get; init; }
    public string? Comment { get; init; }
    public required string Language { get; init; }
    public required string Channel { get; init; }

    /// <summary>Find or create this contact (by email) in the same transaction and link the response to it.</summary>
    public NewContact? Contact { get; init; }
    public ResponseStatus Status { get; init; } = ResponseStatus.Final;
    public string? SubmissionId { get; init; }
    public Guid? InvitationId { get; init; }
    public Guid? ContactId { get; init; }
    public string? Answers { get; init; }
    public string? Properties { get; init; }
    public string? TeamMember { get; init; }
    public string? Touchpoint { get; init; }
    public string? NetworkPrefix { get; init; }
    public required DateTime RespondedAt { get; init; }

    /// <summary>Set for API requests that carry an <c>Idempotency-Key</c>.</summary>
    public IdempotentRequest? Idempotency { get; init; }
}

/// <summary>
/// The key and body fingerprint of an idempotent request, and how to render the stored answer once the new
/// response's id is known (the same transaction stores both).
/// </summary>
public sealed record IdempotentRequest(string Key, string RequestHash, Func<WrittenResponse, string> ResponseBody);

/// <summary>
/// What the writer decided while storing: the new id, the contact it linked (with the email and name the contact record
/// holds, which may predate this request), the merged properties, the time. Enough to answer without reading back.
/// </summary>
public sealed record WrittenResponse(long Id, Guid? ContactId, string? Properties, DateTime CreatedAt, string? ContactEmail = null, string? ContactName = null);

public enum WriteResultKind
{
    /// <summary>A new response was stored.</summary>
    Created,

    /// <summary>The same submission (submission id or invitation) was already stored; nothing changed.</summary>
    Duplicate,

    /// <summary>An earlier request with this idempotency key and the same body: replay its stored answer.</summary>
    Replayed,

    /// <summary>This idempotency key was used with a different body.</summary>
    KeyReused,
}

public sealed record WriteResult(WriteResultKind Kind, long ResponseId, int StatusCode = 201, string? StoredBody = null, WrittenResponse? Written = null);

/// <summary>A contact named by a response (intake API, import): matched by email, created when new.</summary>
public sealed record NewContact(Guid NewId, string Email, string? Name, string? Locale);
