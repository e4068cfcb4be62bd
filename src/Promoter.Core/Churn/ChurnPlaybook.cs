using System.Collections.ObjectModel;

namespace Promoter.Core.Churn;

/// <summary>What a customer-success team does about a risk reason.</summary>
public enum InterventionAction
{
    /// <summary>"call_within_24h": a personal call within a day.</summary>
    CallWithin24Hours,

    /// <summary>"apologise_and_fix": own the failure and resolve the open problem.</summary>
    ApologiseAndFix,

    /// <summary>"offer": a retention offer (discount, upgrade, extra service).</summary>
    Offer,

    /// <summary>"check_in": a light-touch personal message.</summary>
    CheckIn,
}

public static class InterventionActions
{
    /// <summary>Wire name: "call_within_24h", "apologise_and_fix", "offer" or "check_in".</summary>
    public static string ToWireName(this InterventionAction action) => action switch
    {
        InterventionAction.CallWithin24Hours => "call_within_24h",
        InterventionAction.ApologiseAndFix => "apologise_and_fix",
        InterventionAction.Offer => "offer",
        InterventionAction.CheckIn => "check_in",
        _ => throw new ArgumentOutOfRangeException(nameof(action), action, "Unknown intervention action."),
    };

    /// <summary>Parses a wire name (case-insensitive); false for anything else.</summary>
    public static bool TryParse(string? text, out InterventionAction action)
    {
        foreach (var candidate in Enum.GetValues<InterventionAction>())
        {
            if (string.Equals(text, candidate.ToWireName(), StringComparison.OrdinalIgnoreCase))
            {
                action = candidate;
                return true;
            }
        }

        action = default;
        return false;
    }
}

/// <summary>
/// The editable mapping from reason to recommended action. A workspace starts from <see cref="Default"/> and changes
/// entries with <see cref="With"/>; reasons it does not map get <see cref="Fallback"/>.
/// </summary>
public sealed record ChurnPlaybook(IReadOnlyDictionary<RiskReasonCode, InterventionAction> Actions, InterventionAction Fallback = InterventionAction.CheckIn)
{
    /// <summary>
    /// Drops, moves down to detractor, a detractor score and silence after a low score: call within 24 h. Overdue cases and
    /// cases closed without contact: apologise and fix. A passive, or a promoter sliding to passive: offer. Everything
    /// else (falling trend, silence, non-response, open case, weak account): check in.
    /// </summary>
    public static ChurnPlaybook Default { get; } = new(new ReadOnlyDictionary<RiskReasonCode, InterventionAction>(new Dictionary<RiskReasonCode, InterventionAction>
    {
        [RiskReasonCode.Dropped] = InterventionAction.CallWithin24Hours,
        [RiskReasonCode.PromoterToDetractor] = InterventionAction.CallWithin24Hours,
        [RiskReasonCode.PassiveToDetractor] = InterventionAction.CallWithin24Hours,
        [RiskReasonCode.Detractor] = InterventionAction.CallWithin24Hours,
        [RiskReasonCode.UnansweredAfterLowScore] = InterventionAction.CallWithin24Hours,
        [RiskReasonCode.CaseOverdue] = InterventionAction.ApologiseAndFix,
        [RiskReasonCode.CaseClosedWithoutContact] = InterventionAction.ApologiseAndFix,
        [RiskReasonCode.PromoterToPassive] = InterventionAction.Offer,
        [RiskReasonCode.Passive] = InterventionAction.Offer,
        [RiskReasonCode.NeverResponded] = InterventionAction.CheckIn,
        [RiskReasonCode.Unanswered] = InterventionAction.CheckIn,
        [RiskReasonCode.FallingTrend] = InterventionAction.CheckIn,
        [RiskReasonCode.Silent] = InterventionAction.CheckIn,
        [RiskReasonCode.CaseOpen] = InterventionAction.CheckIn,
        [RiskReasonCode.AccountNpsLow] = InterventionAction.CheckIn,
    }));

    public InterventionAction ActionFor(RiskReasonCode code) => Actions.TryGetValue(code, out var action) ? action : Fallback;

    /// <summary>A copy with <paramref name="code"/> mapped to <paramref name="action"/>.</summary>
    public ChurnPlaybook With(RiskReasonCode code, InterventionAction action)
    {
        var copy = new Dictionary<RiskReasonCode, InterventionAction>(Actions) { [code] = action };
        return this with { Actions = new ReadOnlyDictionary<RiskReasonCode, InterventionAction>(copy) };
    }
}
