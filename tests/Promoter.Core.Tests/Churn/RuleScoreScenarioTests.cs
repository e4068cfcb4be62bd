using Promoter.Core.Churn;

namespace Promoter.Core.Tests.Churn;

/// <summary>Issue 16 acceptance for the transparent score, on histories read at a fixed scoring date (no clock).</summary>
public class RuleScoreScenarioTests
{
    private static readonly DateTime AsOf = new(2026, 11, 5, 10, 0, 0, DateTimeKind.Utc);

    private static DateTime Day(int month, int day, int hour = 10) => new(2026, month, day, hour, 0, 0, DateTimeKind.Utc);

    private static HistoryResponse Answer(DateTime at, int score) => new(at, Score.From(score));

    private static ContactHistory DroppingPromoterWithOverdueCase() => new(
        [Answer(Day(3, 2), 10), Answer(Day(6, 1), 9), Answer(Day(11, 3), 4)],
        [new HistoryInvitation(Day(6, 1), Day(6, 1)), new HistoryInvitation(Day(11, 3), Day(11, 3))],
        [new HistoryCase(Day(11, 3), DueAt: Day(11, 3))]);

    private static ContactHistory SteadyPromoter() => new(
        [Answer(Day(3, 2), 9), Answer(Day(6, 1), 10), Answer(Day(10, 20), 9)],
        [new HistoryInvitation(Day(10, 20), Day(10, 20))],
        []);

    private static ContactHistory NewPassive() => new([Answer(Day(11, 1), 7)], [new HistoryInvitation(Day(11, 1), Day(11, 1))], []);

    [Fact]
    public void A_promoter_who_drops_to_detractor_with_an_overdue_case_ranks_above_a_steady_promoter_and_a_new_passive()
    {
        var dropping = ChurnRuleScore.Assess(ChurnSignals.From(DroppingPromoterWithOverdueCase(), AsOf), AsOf);
        var steady = ChurnRuleScore.Assess(ChurnSignals.From(SteadyPromoter(), AsOf), AsOf);
        var passive = ChurnRuleScore.Assess(ChurnSignals.From(NewPassive(), AsOf), AsOf);

        Assert.True(dropping.Score > passive.Score, $"{dropping.Score} vs {passive.Score}");
        Assert.True(passive.Score > steady.Score, $"{passive.Score} vs {steady.Score}");
        Assert.Equal(0, steady.Score);
        Assert.Empty(steady.Reasons);
        Assert.Null(steady.TopAction);
    }

    [Fact]
    public void The_reasons_name_the_drop_and_the_overdue_case_with_their_parameters()
    {
        var risk = ChurnRuleScore.Assess(ChurnSignals.From(DroppingPromoterWithOverdueCase(), AsOf), AsOf);

        // 20 + 2·(6 − 4) for the detractor score, 3·5 for the drop, 20 for promoter → detractor, 10 + 2 days overdue,
        // and 5 for the falling trend of 10, 9, 4.
        Assert.Equal(24 + 15 + 20 + 12 + 5, risk.Score);
        Assert.Equal(
            [RiskReasonCode.Detractor, RiskReasonCode.PromoterToDetractor, RiskReasonCode.Dropped, RiskReasonCode.CaseOverdue, RiskReasonCode.FallingTrend],
            risk.Reasons.Select(r => r.Code));
        var drop = risk.Reasons.Single(r => r.Code == RiskReasonCode.Dropped);
        Assert.Equal((9, 4, Day(11, 3)), (drop.From, drop.To, drop.At));
        Assert.Equal("dropped", drop.WireName);
        Assert.Contains("dropped from 9 to 4 on 3 Nov", risk.ReasonTexts);
        Assert.Contains("case overdue by 2 days", risk.ReasonTexts);
        Assert.Contains("moved from promoter to detractor", risk.ReasonTexts);
        Assert.Equal(risk.Score, risk.Reasons.Sum(r => r.Points));
    }

    [Fact]
    public void Top_reasons_get_playbook_actions_without_repeating_an_action()
    {
        var risk = ChurnRuleScore.Assess(ChurnSignals.From(DroppingPromoterWithOverdueCase(), AsOf), AsOf);

        // Top three: detractor, promoter → detractor (both "call"), drop (call again, skipped).
        Assert.Equal([new RecommendedAction(RiskReasonCode.Detractor, InterventionAction.CallWithin24Hours)], risk.Actions);

        var playbook = ChurnPlaybook.Default.With(RiskReasonCode.PromoterToDetractor, InterventionAction.Offer);
        var edited = ChurnRuleScore.Assess(ChurnSignals.From(DroppingPromoterWithOverdueCase(), AsOf), AsOf, playbook);
        Assert.Equal(InterventionAction.Offer, edited.Actions[1].Action);
        Assert.Equal("call_within_24h", InterventionAction.CallWithin24Hours.ToWireName());
    }

    [Fact]
    public void Answering_the_case_and_a_new_score_of_9_lower_the_risk()
    {
        var history = DroppingPromoterWithOverdueCase();
        var before = ChurnRuleScore.Compute(ChurnSignals.From(history, AsOf), AsOf);

        var later = AsOf.AddDays(7);
        var caseAnswered = history with { Cases = [new HistoryCase(Day(11, 3), Day(11, 3), FirstContactAt: Day(11, 6), ClosedAt: Day(11, 6))] };
        var afterCase = ChurnRuleScore.Assess(ChurnSignals.From(caseAnswered, later), later);
        var rescored = caseAnswered with { Responses = [.. history.Responses, Answer(Day(11, 10), 9)] };
        var afterScore = ChurnRuleScore.Assess(ChurnSignals.From(rescored, later), later);

        Assert.True(afterCase.Score < before, $"{afterCase.Score} vs {before}");
        Assert.DoesNotContain(afterCase.Reasons, r => r.Code is RiskReasonCode.CaseOverdue or RiskReasonCode.CaseClosedWithoutContact);
        Assert.True(afterScore.Score < afterCase.Score, $"{afterScore.Score} vs {afterCase.Score}");
        Assert.DoesNotContain(afterScore.Reasons, r => r.Code is RiskReasonCode.Dropped or RiskReasonCode.Detractor);
    }

    [Fact]
    public void Closing_a_case_without_contact_is_a_reason_of_its_own()
    {
        var history = NewPassive() with { Cases = [new HistoryCase(Day(11, 1), Day(11, 3), ClosedAt: Day(11, 4))] };

        var risk = ChurnRuleScore.Assess(ChurnSignals.From(history, AsOf), AsOf);

        var reason = Assert.Single(risk.Reasons, r => r.Code == RiskReasonCode.CaseClosedWithoutContact);
        Assert.Equal("case closed on 4 Nov without contacting the customer", reason.Describe(AsOf));
        Assert.Equal(RiskReasonCode.CaseClosedWithoutContact, risk.Reasons[0].Code);
        Assert.Equal(new RecommendedAction(RiskReasonCode.CaseClosedWithoutContact, InterventionAction.ApologiseAndFix), risk.TopAction);
        Assert.Equal(new RecommendedAction(RiskReasonCode.Passive, InterventionAction.Offer), risk.Actions[1]);
    }

    [Fact]
    public void Silence_after_a_low_score_is_named_with_the_count()
    {
        var history = new ContactHistory(
            [Answer(Day(6, 1), 3)],
            [new HistoryInvitation(Day(6, 1), Day(6, 1)), new HistoryInvitation(Day(8, 1)), new HistoryInvitation(Day(10, 1))],
            []);

        var risk = ChurnRuleScore.Assess(ChurnSignals.From(history, AsOf), AsOf);

        Assert.Contains("no answer to the last 2 invitations since scoring 3", risk.ReasonTexts);
        Assert.Contains(risk.Reasons, r => r is { Code: RiskReasonCode.UnansweredAfterLowScore, Count: 2, Points: 12 });
    }

    [Fact]
    public void A_non_respondent_is_its_own_state_and_never_a_passive()
    {
        var history = new ContactHistory([], [new HistoryInvitation(Day(9, 1)), new HistoryInvitation(Day(10, 1))], []);

        var signals = ChurnSignals.From(history, AsOf);
        var risk = ChurnRuleScore.Assess(signals, AsOf);

        Assert.Equal(ResponseCategory.NonRespondent, signals.Category);
        Assert.DoesNotContain(risk.Reasons, r => r.Code == RiskReasonCode.Passive);
        Assert.Contains("never answered (2 invitations)", risk.ReasonTexts);
        Assert.Contains("no answer to the last 2 invitations", risk.ReasonTexts);
        Assert.Equal(10 + 4, risk.Score);
    }

    [Fact]
    public void The_score_is_capped_at_100_and_equals_the_assessment()
    {
        var signals = new ChurnSignals
        {
            LastScore = Score.From(0),
            LastResponseAt = Day(1, 2),
            PreviousScore = Score.From(10),
            PreviousResponseAt = Day(1, 1),
            TrendPerMonth = -5,
            UnansweredInvitations = 9,
            OpenCases = 3,
            OverdueCases = 3,
            OldestOverdueDueAt = Day(1, 3),
            ClosedWithoutContactAt = Day(10, 1),
            AccountNps = -40,
        };

        Assert.Equal(100, ChurnRuleScore.Compute(signals, AsOf));
        Assert.Equal(100, ChurnRuleScore.Assess(signals, AsOf).Score);
        Assert.Contains("account NPS is -40", ChurnRuleScore.Assess(signals, AsOf).ReasonTexts);
    }

    [Fact]
    public void Dates_in_another_year_carry_the_year()
    {
        var reason = new RiskReason(RiskReasonCode.Dropped, 15, From: 9, To: 4, At: new DateTime(2025, 11, 3, 0, 0, 0, DateTimeKind.Utc));

        Assert.Equal("dropped from 9 to 4 on 3 Nov 2025", reason.Describe(AsOf));
        Assert.Equal("dropped from 9 to 4 on 3 Nov", reason.Describe());
        Assert.True(RiskReasonCodes.TryParse("case_overdue", out var code));
        Assert.Equal(RiskReasonCode.CaseOverdue, code);
    }
}
