namespace Promoter.Core.Churn;

/// <summary>
/// The transparent churn-risk score: the sum of the <see cref="ChurnRulePoints"/> of every signal that applies, capped at
/// 100. No clock inside: every time-based signal is measured at the given <c>asOf</c>.
/// </summary>
public static class ChurnRuleScore
{
    public const int MaximumScore = 100;

    /// <summary>Reasons an assessment recommends actions for.</summary>
    public const int TopReasons = 3;

    // One slot per reason code: each code applies at most once.
    private const int MaxReasons = 15;

    /// <summary>
    /// The score alone, without building reasons: allocation-free, for rescoring many contacts. Equal to
    /// <see cref="Assess"/>'s score.
    /// </summary>
    public static int Compute(ChurnSignals signals, DateTime asOf, ChurnRulePoints? points = null)
    {
        // An empty span: the reasons are counted but not kept, so nothing is written or zeroed.
        return Evaluate(signals, asOf, points ?? ChurnRulePoints.Default, [], out _);
    }

    /// <summary>The score, the reasons (most points first, ties in <see cref="RiskReasonCode"/> order) and one action from
    /// <paramref name="playbook"/> for each of the top <see cref="TopReasons"/> reasons, skipping an action already given.</summary>
    public static RiskAssessment Assess(ChurnSignals signals, DateTime asOf, ChurnPlaybook? playbook = null, ChurnRulePoints? points = null)
    {
        playbook ??= ChurnPlaybook.Default;
        Span<RiskReason> buffer = stackalloc RiskReason[MaxReasons];
        var score = Evaluate(signals, asOf, points ?? ChurnRulePoints.Default, buffer, out var count);

        var reasons = buffer[..count].ToArray();
        Array.Sort(reasons, static (a, b) => a.Points != b.Points ? b.Points.CompareTo(a.Points) : a.Code.CompareTo(b.Code));

        var actions = new List<RecommendedAction>(TopReasons);
        for (var i = 0; i < Math.Min(TopReasons, reasons.Length); i++)
        {
            var action = playbook.ActionFor(reasons[i].Code);
            if (!actions.Exists(a => a.Action == action))
            {
                actions.Add(new RecommendedAction(reasons[i].Code, action));
            }
        }

        return new RiskAssessment(score, asOf, reasons, actions);
    }

    private static int Evaluate(ChurnSignals s, DateTime asOf, ChurnRulePoints p, Span<RiskReason> reasons, out int count)
    {
        ArgumentNullException.ThrowIfNull(s);
        var n = 0;
        var total = 0;

        void Add(Span<RiskReason> into, in RiskReason reason)
        {
            if (reason.Points > 0)
            {
                if (!into.IsEmpty)
                {
                    into[n] = reason;
                }

                n++;
                total += reason.Points;
            }
        }

        var category = s.Category;
        var last = s.LastScore?.Value;
        switch (category)
        {
            case ResponseCategory.Detractor:
                Add(reasons, new RiskReason(RiskReasonCode.Detractor, p.Detractor + (p.DetractorPerPointBelowSeven * (6 - last!.Value)), To: last, At: s.LastResponseAt));
                break;
            case ResponseCategory.Passive:
                Add(reasons, new RiskReason(RiskReasonCode.Passive, p.Passive, To: last, At: s.LastResponseAt));
                break;
            case ResponseCategory.NonRespondent when s.UnansweredInvitations > 0:
                Add(reasons, new RiskReason(RiskReasonCode.NeverResponded, p.NeverResponded, Count: s.UnansweredInvitations));
                break;
        }

        if (s.Change is { } change && -change >= p.DropThreshold)
        {
            var drop = Math.Min(p.DropMaximum, p.DropPerPoint * -change);
            Add(reasons, new RiskReason(RiskReasonCode.Dropped, drop, From: s.PreviousScore?.Value, To: last, At: s.LastResponseAt));
        }

        var move = s.Move;
        var (moveCode, movePoints) = move switch
        {
            CategoryMove.PromoterToDetractor => (RiskReasonCode.PromoterToDetractor, p.PromoterToDetractor),
            CategoryMove.PassiveToDetractor => (RiskReasonCode.PassiveToDetractor, p.PassiveToDetractor),
            CategoryMove.PromoterToPassive => (RiskReasonCode.PromoterToPassive, p.PromoterToPassive),
            _ => (RiskReasonCode.Dropped, 0),
        };
        if (movePoints > 0)
        {
            Add(reasons, new RiskReason(moveCode, movePoints, From: s.PreviousScore?.Value, To: last, At: s.LastResponseAt));
        }

        if (s.TrendPerMonth is { } trend && trend <= p.FallingTrendPerMonth)
        {
            Add(reasons, new RiskReason(RiskReasonCode.FallingTrend, p.FallingTrend, Value: trend));
        }

        if (s.DaysSinceLastResponse(asOf) is { } silentDays && silentDays >= p.SilentAfterDays)
        {
            Add(reasons, new RiskReason(RiskReasonCode.Silent, p.Silent, Days: silentDays));
        }

        if (s.UnansweredInvitations > 0)
        {
            if (category == ResponseCategory.Detractor)
            {
                var points = Math.Min(p.UnansweredAfterLowScoreMaximum, p.UnansweredAfterLowScorePerInvitation * s.UnansweredInvitations);
                Add(reasons, new RiskReason(RiskReasonCode.UnansweredAfterLowScore, points, To: last, Count: s.UnansweredInvitations));
            }
            else
            {
                var points = Math.Min(p.UnansweredMaximum, p.UnansweredPerInvitation * s.UnansweredInvitations);
                Add(reasons, new RiskReason(RiskReasonCode.Unanswered, points, Count: s.UnansweredInvitations));
            }
        }

        if (s.OverdueCases > 0)
        {
            var days = s.DaysOverdue(asOf);
            var points = Math.Min(p.CaseOverdueMaximum, p.CaseOverdue + (p.CaseOverduePerDay * days));
            Add(reasons, new RiskReason(RiskReasonCode.CaseOverdue, points, Count: s.OverdueCases, Days: days));
        }
        else if (s.OpenCases > 0)
        {
            Add(reasons, new RiskReason(RiskReasonCode.CaseOpen, p.CaseOpen, Count: s.OpenCases));
        }

        if (s.ClosedWithoutContactAt is { } closedAt)
        {
            Add(reasons, new RiskReason(RiskReasonCode.CaseClosedWithoutContact, p.CaseClosedWithoutContact, At: closedAt));
        }

        if (s.AccountNps is { } accountNps && accountNps < p.AccountNpsBelow)
        {
            Add(reasons, new RiskReason(RiskReasonCode.AccountNpsLow, p.AccountNpsLow, Value: accountNps));
        }

        count = n;
        return Math.Min(MaximumScore, total);
    }
}
