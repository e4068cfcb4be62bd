using System.ComponentModel.DataAnnotations;

namespace Promoter.Collect.Respondent;

/// <summary>
/// <c>Respondent:*</c>: how many survey posts (answers, provisional scores) a network, a survey and a personal link
/// may send per minute. Page views are not limited: they write nothing but a link hit.
/// </summary>
public sealed class RespondentOptions
{
    public const string Section = "Respondent";

    /// <summary>Per /24 (IPv4) or /48 (IPv6) network. A whole office behind one address shares it.</summary>
    [Range(1, 100_000)]
    public int PostsPerNetworkPerMinute { get; set; } = 60;

    /// <summary>Per anonymous survey link, across all networks.</summary>
    [Range(1, 1_000_000)]
    public int PostsPerSurveyPerMinute { get; set; } = 1_200;

    /// <summary>Per personal link (invitation token).</summary>
    [Range(1, 10_000)]
    public int PostsPerTokenPerMinute { get; set; } = 20;
}
