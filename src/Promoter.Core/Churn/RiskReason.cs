using System.Globalization;

namespace Promoter.Core.Churn;

/// <summary>Why a contact is at risk. Declared in tie-break order: with equal points the earlier code is listed first.</summary>
public enum RiskReasonCode
{
    /// <summary>The last score is at least 2 points below the previous one. From, To, At.</summary>
    Dropped,

    /// <summary>Previous score a promoter (9–10), last a detractor (0–6). From, To, At.</summary>
    PromoterToDetractor,

    /// <summary>Previous score a passive (7–8), last a detractor. From, To, At.</summary>
    PassiveToDetractor,

    /// <summary>Previous score a promoter, last a passive. From, To, At.</summary>
    PromoterToPassive,

    /// <summary>An open case is past its due time. Days (oldest), Count.</summary>
    CaseOverdue,

    /// <summary>A case was closed without anyone contacting the customer. At (closing time).</summary>
    CaseClosedWithoutContact,

    /// <summary>The last score is a detractor. To (the score), At.</summary>
    Detractor,

    /// <summary>Invitations unanswered since a detractor score. Count, To (the low score).</summary>
    UnansweredAfterLowScore,

    /// <summary>Invited but never answered. Count.</summary>
    NeverResponded,

    /// <summary>The last score is a passive. To, At.</summary>
    Passive,

    /// <summary>Invitations unanswered since the last (non-detractor) score. Count.</summary>
    Unanswered,

    /// <summary>The recent scores fall over time. Value (points per 30 days).</summary>
    FallingTrend,

    /// <summary>No response for a long time. Days.</summary>
    Silent,

    /// <summary>An open case, none overdue. Count.</summary>
    CaseOpen,

    /// <summary>The account's NPS is below the threshold. Value.</summary>
    AccountNpsLow,
}

/// <summary>
/// One reason with its points and the parameters its text is built from; which parameters are set depends on
/// <see cref="Code"/> (see each code). A value type with no references, so scoring can collect reasons on the stack.
/// </summary>
public readonly record struct RiskReason(
    RiskReasonCode Code,
    int Points,
    int? From = null,
    int? To = null,
    DateTime? At = null,
    int? Count = null,
    int? Days = null,
    double? Value = null)
{
    /// <summary>Stable wire name, e.g. "dropped", "case_overdue".</summary>
    public string WireName => Code.ToWireName();

    /// <summary>
    /// Plain English, e.g. "dropped from 9 to 4 on 3 Nov", "case overdue by 2 days", "no answer to the last 2 invitations".
    /// Dates are written "3 Nov", with the year added when it differs from <paramref name="asOf"/>'s.
    /// </summary>
    public string Describe(DateTime? asOf = null)
    {
        var c = CultureInfo.InvariantCulture;
        return Code switch
        {
            RiskReasonCode.Dropped => string.Create(c, $"dropped from {From} to {To} on {Date(At, asOf)}"),
            RiskReasonCode.PromoterToDetractor => "moved from promoter to detractor",
            RiskReasonCode.PassiveToDetractor => "moved from passive to detractor",
            RiskReasonCode.PromoterToPassive => "moved from promoter to passive",
            RiskReasonCode.CaseOverdue when Count > 1 => string.Create(c, $"{Count} cases overdue, the oldest by {DayCount(Days)}"),
            RiskReasonCode.CaseOverdue => string.Create(c, $"case overdue by {DayCount(Days)}"),
            RiskReasonCode.CaseClosedWithoutContact => string.Create(c, $"case closed on {Date(At, asOf)} without contacting the customer"),
            RiskReasonCode.Detractor => string.Create(c, $"scored {To} on {Date(At, asOf)} (detractor)"),
            RiskReasonCode.UnansweredAfterLowScore => string.Create(c, $"{NoAnswer(Count)} since scoring {To}"),
            RiskReasonCode.NeverResponded => Count == 1 ? "never answered (1 invitation)" : string.Create(c, $"never answered ({Count} invitations)"),
            RiskReasonCode.Passive => string.Create(c, $"scored {To} on {Date(At, asOf)} (passive)"),
            RiskReasonCode.Unanswered => NoAnswer(Count),
            RiskReasonCode.FallingTrend => string.Create(c, $"scores falling by {Math.Abs(Value ?? 0):0.#} points a month"),
            RiskReasonCode.Silent => string.Create(c, $"no response for {DayCount(Days)}"),
            RiskReasonCode.CaseOpen => Count == 1 ? "1 open case" : string.Create(c, $"{Count} open cases"),
            RiskReasonCode.AccountNpsLow => string.Create(c, $"account NPS is {Value:0}"),
            _ => Code.ToWireName(),
        };
    }

    private static string Date(DateTime? at, DateTime? asOf) => at is not { } date
        ? "an unknown date"
        : date.ToString(asOf is { } now && now.Year != date.Year ? "d MMM yyyy" : "d MMM", CultureInfo.InvariantCulture);

    private static string DayCount(int? days) => days switch
    {
        null or 0 => "less than a day",
        1 => "1 day",
        _ => string.Create(CultureInfo.InvariantCulture, $"{days} days"),
    };

    private static string NoAnswer(int? count) => count == 1
        ? "no answer to the last invitation"
        : string.Create(CultureInfo.InvariantCulture, $"no answer to the last {count} invitations");
}

public static class RiskReasonCodes
{
    /// <summary>Lower-case snake_case wire name of a reason code.</summary>
    public static string ToWireName(this RiskReasonCode code) => code switch
    {
        RiskReasonCode.Dropped => "dropped",
        RiskReasonCode.PromoterToDetractor => "promoter_to_detractor",
        RiskReasonCode.PassiveToDetractor => "passive_to_detractor",
        RiskReasonCode.PromoterToPassive => "promoter_to_passive",
        RiskReasonCode.CaseOverdue => "case_overdue",
        RiskReasonCode.CaseClosedWithoutContact => "case_closed_without_contact",
        RiskReasonCode.Detractor => "detractor",
        RiskReasonCode.UnansweredAfterLowScore => "unanswered_after_low_score",
        RiskReasonCode.NeverResponded => "never_responded",
        RiskReasonCode.Passive => "passive",
        RiskReasonCode.Unanswered => "unanswered",
        RiskReasonCode.FallingTrend => "falling_trend",
        RiskReasonCode.Silent => "silent",
        RiskReasonCode.CaseOpen => "case_open",
        RiskReasonCode.AccountNpsLow => "account_nps_low",
        _ => throw new ArgumentOutOfRangeException(nameof(code), code, "Unknown reason code."),
    };

    /// <summary>Parses a wire name (case-insensitive); false for anything else.</summary>
    public static bool TryParse(string? text, out RiskReasonCode code)
    {
        foreach (var candidate in Enum.GetValues<RiskReasonCode>())
        {
            if (string.Equals(text, candidate.ToWireName(), StringComparison.OrdinalIgnoreCase))
            {
                code = candidate;
                return true;
            }
        }

        code = default;
        return false;
    }
}
