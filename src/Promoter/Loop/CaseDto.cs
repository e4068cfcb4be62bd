using Promoter.Core;

namespace Promoter.Loop;

/// <summary>A case on the API and in <c>case.created</c>/<c>case.updated</c> webhooks.</summary>
public sealed record CaseDto(
    Guid Id,
    long ResponseId,
    Guid SurveyId,
    Guid? ContactId,
    string? ContactEmail,
    string? ContactName,
    int Score,
    string Category,
    string? Comment,
    Guid? OwnerUserId,
    string Status,
    IReadOnlyList<string> Tags,
    string? RootCause,
    DateTime RespondedAt,
    DateTime? DueAt,
    bool Overdue,
    DateTime? FirstContactedAt,
    DateTime? ResolvedAt,
    DateTime? ClosedAt,
    DateTime? EscalatedAt,
    DateTime CreatedAt,
    DateTime UpdatedAt)
{
    public static CaseDto From(FollowUpCase c, DateTime now, string? comment = null, string? contactEmail = null, string? contactName = null) =>
        new(c.Id, c.ResponseId, c.SurveyId, c.ContactId, contactEmail, contactName, c.Score, CategoryName(c.Category), comment, c.OwnerUserId,
            StatusName(c.Status), c.TagList, c.RootCause, c.RespondedAt, c.DueAt, c.IsOverdueAt(now), c.FirstContactedAt, c.ResolvedAt,
            c.ClosedAt, c.EscalatedAt, c.CreatedAt, c.UpdatedAt);

    public static string CategoryName(NpsCategory category) => category.ToString().ToLowerInvariant();

    public static string StatusName(CaseStatus status) => status switch
    {
        CaseStatus.New => "new",
        CaseStatus.Contacted => "contacted",
        CaseStatus.Resolved => "resolved",
        CaseStatus.Closed => "closed",
        CaseStatus.WontFix => "wont_fix",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    public static bool TryParseStatus(string? value, out CaseStatus status)
    {
        foreach (var candidate in Enum.GetValues<CaseStatus>())
        {
            if (string.Equals(StatusName(candidate), value?.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                status = candidate;
                return true;
            }
        }

        status = CaseStatus.New;
        return false;
    }
}

/// <summary>One line of a case's history on the API.</summary>
public sealed record CaseActivityDto(long Id, DateTime At, string Actor, string Kind, string? Body, ReplyMailState? Mail = null)
{
    public static CaseActivityDto From(CaseActivity a, ReplyMailState? mail = null) => new(a.Id, a.At, a.Actor, a.Kind.ToString(), a.Body, mail);
}

/// <summary>
/// Where a reply's mail is: <c>queued</c> (waiting for its first try), <c>retrying</c> (the relay did not take it yet),
/// <c>no_relay</c> (waiting: no mail relay is configured), <c>sent</c> (the relay accepted it), <c>failed</c>,
/// <c>expired</c>, <c>suppressed</c>, <c>cancelled</c>, or <c>purged</c> (finished long ago; the outbox forgot it).
/// </summary>
public sealed record ReplyMailState(string State, DateTime? SentAt, string? Detail)
{
    public bool Left => State == "sent";
}
