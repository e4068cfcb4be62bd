namespace Promoter.Core.Churn;

/// <summary>An NPS answer in a contact's history.</summary>
public readonly record struct HistoryResponse(DateTime At, Score Score);

/// <summary>A survey invitation; <see cref="AnsweredAt"/> is null while unanswered.</summary>
public readonly record struct HistoryInvitation(DateTime SentAt, DateTime? AnsweredAt = null);

/// <summary>A follow-up case: opened, optionally due, first contact with the customer, closed.</summary>
public readonly record struct HistoryCase(DateTime OpenedAt, DateTime? DueAt = null, DateTime? FirstContactAt = null, DateTime? ClosedAt = null);

/// <summary>
/// Everything the churn signals are computed from for one contact (or one account). Events may be in any order and
/// may lie after the scoring date: <see cref="ChurnSignals.From"/> ignores whatever had not happened yet.
/// </summary>
/// <param name="Responses">NPS answers.</param>
/// <param name="Invitations">Survey invitations, answered or not.</param>
/// <param name="Cases">Follow-up cases.</param>
/// <param name="AccountNps">NPS (−100..100) of the contact's account at the scoring date, when accounts are used.</param>
public sealed record ContactHistory(
    IReadOnlyList<HistoryResponse> Responses,
    IReadOnlyList<HistoryInvitation> Invitations,
    IReadOnlyList<HistoryCase> Cases,
    double? AccountNps = null)
{
    public static ContactHistory Empty { get; } = new([], [], []);
}
