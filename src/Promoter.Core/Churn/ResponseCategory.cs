namespace Promoter.Core.Churn;

/// <summary>
/// A contact's standing at a scoring date: the NPS category of the last score, or <see cref="NonRespondent"/> when the
/// contact has never answered. Non-response is its own state and is never counted as passive (statistics.md §6.1).
/// </summary>
public enum ResponseCategory
{
    Detractor,
    Passive,
    Promoter,
    NonRespondent,
}

public static class ResponseCategories
{
    /// <summary>The four categories in report order: detractor, passive, promoter, non-respondent.</summary>
    public static IReadOnlyList<ResponseCategory> All { get; } =
        [ResponseCategory.Detractor, ResponseCategory.Passive, ResponseCategory.Promoter, ResponseCategory.NonRespondent];

    /// <summary>The category of the last score, or <see cref="ResponseCategory.NonRespondent"/> when there is none.</summary>
    public static ResponseCategory Of(Score? lastScore) => lastScore?.Category switch
    {
        null => ResponseCategory.NonRespondent,
        NpsCategory.Detractor => ResponseCategory.Detractor,
        NpsCategory.Passive => ResponseCategory.Passive,
        NpsCategory.Promoter => ResponseCategory.Promoter,
        _ => throw new ArgumentOutOfRangeException(nameof(lastScore), lastScore, "Unknown NPS category."),
    };

    /// <summary>Wire name: "detractor", "passive", "promoter" or "non_respondent".</summary>
    public static string ToWireName(this ResponseCategory category) => category switch
    {
        ResponseCategory.Detractor => "detractor",
        ResponseCategory.Passive => "passive",
        ResponseCategory.Promoter => "promoter",
        ResponseCategory.NonRespondent => "non_respondent",
        _ => throw new ArgumentOutOfRangeException(nameof(category), category, "Unknown response category."),
    };
}
