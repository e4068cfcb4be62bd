using System.Text.Json;
using Promoter.Core.Churn;
using Promoter.Integrations.Webhooks;

namespace Promoter.Churn;

/// <summary>One reason on the API: stable code, its points, plain words, the parameters the words were built from, and
/// the recommended action when it is one of the top reasons.</summary>
public sealed record RiskReasonDto(string Code, int Points, string Text, int? From, int? To, DateTime? At, int? Count, int? Days, double? Value, string? Action);

/// <summary>A contact's risk on the API (<c>risk</c> on contact reads, rows of the at-risk list, the webhook payload).</summary>
/// <param name="Score">0–100.</param>
/// <param name="Model">"rules" or "fitted": which scorer set the number.</param>
/// <param name="Category">Last NPS category, or "non_respondent".</param>
/// <param name="Action">The top recommended action (call_within_24h, apologise_and_fix, offer, check_in), or null.</param>
/// <param name="Reasons">Most points first.</param>
/// <param name="ChangedAt">When the score last changed (it is recomputed after every response, case change and nightly).</param>
public sealed record RiskDto(int Score, string Model, string Category, string? Action, IReadOnlyList<RiskReasonDto> Reasons, DateTime ChangedAt)
{
    public static RiskDto From(ContactRisk r) => new(r.Score, r.ModelKind, r.Category, r.Action, RiskJson.Read(r.Reasons), r.ChangedAt);
}

/// <summary>One point of a contact's risk history.</summary>
public sealed record RiskHistoryDto(DateTime At, int Score, string Model, string? Action);

/// <summary>The stored form of the reasons (the API's own shape, in the webhook JSON style).</summary>
public static class RiskJson
{
    public static IReadOnlyList<RiskReasonDto> Reasons(RiskAssessment assessment)
    {
        ArgumentNullException.ThrowIfNull(assessment);
        var list = new List<RiskReasonDto>(assessment.Reasons.Count);
        foreach (var r in assessment.Reasons)
        {
            string? action = null;
            foreach (var a in assessment.Actions)
            {
                if (a.Reason == r.Code)
                {
                    action = a.Action.ToWireName();
                }
            }

            list.Add(new RiskReasonDto(r.WireName, r.Points, r.Describe(assessment.AsOf), r.From, r.To, r.At, r.Count, r.Days, r.Value, action));
        }

        return list;
    }

    public static string Write(IReadOnlyList<RiskReasonDto> reasons) => JsonSerializer.Serialize(reasons, WebhookJson.Options);

    public static IReadOnlyList<RiskReasonDto> Read(string json) =>
        JsonSerializer.Deserialize<List<RiskReasonDto>>(json, WebhookJson.Options) ?? [];
}
