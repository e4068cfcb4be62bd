using System.Text.Json.Nodes;
using Promoter.Core;
using Promoter.Platform;

namespace Promoter.Collect;

public sealed record ContactRef(Guid Id, string? Email, string? Name);

/// <summary>A response as the API returns it. Times are UTC ISO-8601.</summary>
public sealed record ResponseDto(
    long Id,
    Guid SurveyId,
    int Score,
    NpsCategory Category,
    string? Comment,
    string Language,
    string Channel,
    ResponseStatus Status,
    DateTime RespondedAt,
    DateTime CreatedAt,
    DateTime UpdatedAt,
    int Revision,
    ContactRef? Contact,
    Guid? InvitationId,
    string? TeamMember,
    string? Touchpoint,
    Dictionary<string, string> Properties,
    JsonObject? Answers)
{
    public static ResponseDto From(SurveyResponse r, ContactRef? contact) => new(
        r.Id, r.SurveyId, r.Score, NpsCategories.Of(r.Score), r.Comment, r.Language, r.Channel, r.Status, r.RespondedAt, r.CreatedAt,
        r.UpdatedAt, r.Revision, contact, r.InvitationId, r.TeamMember, r.Touchpoint, PropertyBags.Read(r.Properties),
        r.Answers is null ? null : JsonNode.Parse(r.Answers) as JsonObject);
}
