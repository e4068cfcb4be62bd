namespace Promoter.Core.Churn;

/// <summary>
/// The documented points of the transparent rule score. The score is the sum of the points of every signal that
/// applies, capped at 100; the defaults below are the product's starting table (statistics.md §6.2: "start with a
/// transparent score: detractor now + drop ≥ 3 points + no response"). Each reason carries its points, so the UI
/// can show exactly how a score was made. Setting a signal's points to 0 switches it off (a reason with no points is
/// left out).
/// </summary>
public sealed record ChurnRulePoints
{
    public static ChurnRulePoints Default { get; } = new();

    /// <summary>Last score a detractor: this many points plus <see cref="DetractorPerPointBelowSeven"/> per point under 7,
    /// so 6 → 20 and 0 → 32.</summary>
    public int Detractor { get; init; } = 20;

    public int DetractorPerPointBelowSeven { get; init; } = 2;

    /// <summary>Last score a passive (7–8).</summary>
    public int Passive { get; init; } = 8;

    /// <summary>Invited at least once and never answered any survey.</summary>
    public int NeverResponded { get; init; } = 10;

    /// <summary>A drop counts from this many points (a one-point wobble is noise).</summary>
    public int DropThreshold { get; init; } = 2;

    /// <summary>Points per point of drop from the previous score, up to <see cref="DropMaximum"/> (9 → 4 gives 15).</summary>
    public int DropPerPoint { get; init; } = 3;

    public int DropMaximum { get; init; } = 18;

    public int PromoterToDetractor { get; init; } = 20;

    public int PassiveToDetractor { get; init; } = 12;

    public int PromoterToPassive { get; init; } = 8;

    /// <summary>Trend of the last 3–5 scores at or below <see cref="FallingTrendPerMonth"/> points per 30 days.</summary>
    public int FallingTrend { get; init; } = 5;

    public double FallingTrendPerMonth { get; init; } = -0.5;

    /// <summary>A respondent whose last answer is at least <see cref="SilentAfterDays"/> days old.</summary>
    public int Silent { get; init; } = 5;

    public int SilentAfterDays { get; init; } = 180;

    /// <summary>Per invitation unanswered since a detractor score, up to <see cref="UnansweredAfterLowScoreMaximum"/>.</summary>
    public int UnansweredAfterLowScorePerInvitation { get; init; } = 6;

    public int UnansweredAfterLowScoreMaximum { get; init; } = 18;

    /// <summary>Per invitation unanswered otherwise (after a passive or promoter score, or never answered), up to
    /// <see cref="UnansweredMaximum"/>.</summary>
    public int UnansweredPerInvitation { get; init; } = 2;

    public int UnansweredMaximum { get; init; } = 6;

    /// <summary>At least one open case, none overdue.</summary>
    public int CaseOpen { get; init; } = 4;

    /// <summary>An overdue case: this plus <see cref="CaseOverduePerDay"/> per whole day late, up to <see cref="CaseOverdueMaximum"/>.</summary>
    public int CaseOverdue { get; init; } = 10;

    public int CaseOverduePerDay { get; init; } = 1;

    public int CaseOverdueMaximum { get; init; } = 20;

    /// <summary>A case closed without contacting the customer in the last 90 days.</summary>
    public int CaseClosedWithoutContact { get; init; } = 12;

    /// <summary>Account NPS below <see cref="AccountNpsBelow"/>.</summary>
    public int AccountNpsLow { get; init; } = 5;

    public double AccountNpsBelow { get; init; }
}
