namespace Promoter.Core.Churn;

/// <summary>The recommended action for one of the top reasons.</summary>
public readonly record struct RecommendedAction(RiskReasonCode Reason, InterventionAction Action);

/// <summary>A contact's risk as of <see cref="AsOf"/>: a 0–100 score, its reasons (most points first) and what to do.</summary>
/// <param name="Score">0 (no known risk) to 100.</param>
/// <param name="AsOf">The scoring date every time-based signal was measured at.</param>
/// <param name="Reasons">Every reason that added points, most points first; they sum to the score before the cap of 100.</param>
/// <param name="Actions">One action per top reason from the playbook, without repeating an action.</param>
public sealed record RiskAssessment(int Score, DateTime AsOf, IReadOnlyList<RiskReason> Reasons, IReadOnlyList<RecommendedAction> Actions)
{
    /// <summary>Which scorer produced <see cref="Score"/>. With <see cref="ChurnModelStatus.Fitted"/> the score is
    /// round(100 · P(churn)) from the workspace's model and the reasons (from the rule table) explain it in plain words,
    /// so their points no longer add up to the score.</summary>
    public ChurnModelStatus Source { get; init; } = ChurnModelStatus.Rules;

    /// <summary>The first recommended action, or null when nothing adds risk.</summary>
    public RecommendedAction? TopAction => Actions.Count > 0 ? Actions[0] : null;

    /// <summary>The reasons in plain English, in order.</summary>
    public IReadOnlyList<string> ReasonTexts
    {
        get
        {
            var texts = new string[Reasons.Count];
            for (var i = 0; i < texts.Length; i++)
            {
                texts[i] = Reasons[i].Describe(AsOf);
            }

            return texts;
        }
    }
}
