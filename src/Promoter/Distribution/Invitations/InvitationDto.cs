using System.Text.Json.Serialization;
using Promoter.Platform;

namespace Promoter.Distribution.Invitations;

/// <summary>An invitation as the API shows it; <see cref="SurveyUrl"/> is the personal link, for callers who deliver it themselves.</summary>
public sealed record InvitationDto(
    Guid Id,
    Guid SurveyId,
    Guid ContactId,
    Guid? SendId,
    InvitationStatus Status,
    string? StatusReason,
    string Channel,
    string? Language,
    Dictionary<string, string> Properties,
    string? TeamMember,
    string? Touchpoint,
    DateTime CreatedAt,
    DateTime ScheduledAt,
    DateTime? SentAt,
    DateTime? OpenedAt,
    DateTime? ClickedAt,
    DateTime? RespondedAt,
    DateTime? ReminderSentAt,
    string SurveyUrl)
{
    public static InvitationDto From(Invitation i, PublicUrls urls) => new(
        i.Id, i.SurveyId, i.ContactId, i.SendId, i.Status, i.StatusReason, i.Channel, i.Language, PropertyBags.Read(i.Properties), i.TeamMember,
        i.Touchpoint, i.CreatedAt, i.ScheduledAt, i.SentAt, i.OpenedAt, i.ClickedAt, i.RespondedAt, i.ReminderSentAt, urls.Invitation(i.Token));
}

/// <summary>A page of <c>GET /api/v1/invitations</c>; pass <see cref="NextCursor"/> back as <c>cursor</c> for the next one.</summary>
public sealed record InvitationListDto(IReadOnlyList<InvitationDto> Items, string? NextCursor);

/// <summary>The contact part of a trigger: found by email (else phone) and updated with what is given, or created.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record TriggerContact(string? Email, string? Phone, string? Name, string? Locale, string? TimeZone, Dictionary<string, string>? Properties);

/// <summary>
/// <c>POST /api/v1/surveys/{id}/invitations</c>: a touchpoint ("order delivered", "ticket closed") for one person.
/// <see cref="Properties"/> describe the touchpoint (order id, product, <c>team_member</c>, <c>touchpoint</c>) and
/// travel with the invitation to the response.
/// </summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record TriggerInput(TriggerContact? Contact, Dictionary<string, string?>? Properties, long? DelaySeconds);
