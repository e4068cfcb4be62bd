using Promoter.Core.Churn;

namespace Promoter.Core.Tests.Churn;

public class ChurnSignalsTests
{
    private static readonly DateTime Start = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    private static HistoryResponse Answer(int day, int score) => new(Start.AddDays(day), Score.From(score));

    [Fact]
    public void Events_after_the_scoring_date_are_ignored()
    {
        var history = new ContactHistory(
            [Answer(10, 9), Answer(50, 3)],
            [new HistoryInvitation(Start.AddDays(60))],
            [new HistoryCase(Start.AddDays(55), DueAt: Start.AddDays(56))]);

        var signals = ChurnSignals.From(history, Start.AddDays(20));

        Assert.Equal(9, signals.LastScore?.Value);
        Assert.Null(signals.PreviousScore);
        Assert.Equal(0, signals.UnansweredInvitations);
        Assert.Equal(0, signals.OpenCases);
        Assert.Equal(10, signals.DaysSinceLastResponse(Start.AddDays(20)));
    }

    [Fact]
    public void Responses_in_any_order_give_the_latest_two_and_the_trend_of_the_last_five()
    {
        // Seven scores, shuffled; the last five (days 60..180, every 30 days) fall 10, 9, 8, 7, 6: −1 point a month.
        HistoryResponse[] responses = [Answer(120, 8), Answer(0, 2), Answer(180, 6), Answer(60, 10), Answer(30, 3), Answer(150, 7), Answer(90, 9)];

        var signals = ChurnSignals.From(new ContactHistory(responses, [], []), Start.AddDays(200));

        Assert.Equal(6, signals.LastScore?.Value);
        Assert.Equal(7, signals.PreviousScore?.Value);
        Assert.Equal(-1, signals.Change);
        Assert.Equal(CategoryMove.PassiveToDetractor, signals.Move);
        Assert.Equal(-1.0, signals.TrendPerMonth!.Value, 1e-12);
    }

    [Fact]
    public void Unanswered_invitations_count_after_the_last_response_and_after_a_grace_period()
    {
        var asOf = Start.AddDays(100);
        var history = new ContactHistory(
            [Answer(10, 5)],
            [
                new HistoryInvitation(Start.AddDays(5)),                        // before the last response
                new HistoryInvitation(Start.AddDays(40)),                       // unanswered
                new HistoryInvitation(Start.AddDays(60), Start.AddDays(120)),   // answered only after asOf
                new HistoryInvitation(Start.AddDays(70), Start.AddDays(71)),    // answered
                new HistoryInvitation(Start.AddDays(97)),                       // too recent to count
            ],
            []);

        Assert.Equal(2, ChurnSignals.From(history, asOf).UnansweredInvitations);
    }

    [Fact]
    public void Cases_are_open_overdue_or_closed_without_contact_as_of_the_date()
    {
        var asOf = Start.AddDays(100);
        var history = new ContactHistory(
            [Answer(1, 5)],
            [],
            [
                new HistoryCase(Start.AddDays(90), DueAt: Start.AddDays(95)),                                  // overdue 5 days
                new HistoryCase(Start.AddDays(92), DueAt: Start.AddDays(97)),                                  // overdue 3 days
                new HistoryCase(Start.AddDays(99), DueAt: Start.AddDays(101)),                                 // open, not due
                new HistoryCase(Start.AddDays(50), DueAt: Start.AddDays(51), ClosedAt: Start.AddDays(60)),     // closed without contact
                new HistoryCase(Start.AddDays(50), FirstContactAt: Start.AddDays(52), ClosedAt: Start.AddDays(80)),
                new HistoryCase(Start.AddDays(1), ClosedAt: Start.AddDays(2)),                                 // outside the 90-day window
            ]);

        var signals = ChurnSignals.From(history, asOf);

        Assert.Equal(3, signals.OpenCases);
        Assert.Equal(2, signals.OverdueCases);
        Assert.Equal(5, signals.DaysOverdue(asOf));
        Assert.Equal(Start.AddDays(60), signals.ClosedWithoutContactAt);
    }

    [Fact]
    public void Features_have_a_fixed_layout_and_a_non_respondent_is_flagged()
    {
        Span<double> x = stackalloc double[ChurnFeatures.Count];
        var signals = new ChurnSignals { UnansweredInvitations = 2 };

        ChurnFeatures.Write(signals, Start, x);

        Assert.Equal(ChurnFeatures.Count, ChurnFeatures.Names.Count);
        Assert.Equal(1.0, x[ChurnFeatureIndex("non_respondent")]);
        Assert.Equal(0.0, x[ChurnFeatureIndex("passive")]);
        Assert.Equal(2.0, x[ChurnFeatureIndex("unanswered_invitations")]);
        Assert.Equal(1.0, x[ChurnFeatureIndex("account_nps_missing")]);
    }

    private static int ChurnFeatureIndex(string name) => ChurnFeatures.Names.ToList().IndexOf(name);

    [Fact]
    public void Time_split_trains_on_the_earlier_part_and_purges_the_horizon()
    {
        var rows = Enumerable.Range(0, 100).Select(i => Start.AddDays(i)).Reverse().ToList();

        var split = TimeSplit.ByTime(rows, t => t, 0.7);
        var purged = TimeSplit.ByTime(rows, t => t, 0.7, TimeSpan.FromDays(10));

        Assert.Equal(Start.AddDays(70), split.Cutoff);
        Assert.Equal(70, split.Train.Count);
        Assert.Equal(30, split.Holdout.Count);
        Assert.True(split.Train.Max() < split.Holdout.Min());
        Assert.Equal(60, purged.Train.Count);
        Assert.Equal("trainFraction", Assert.Throws<ArgumentOutOfRangeException>(() => TimeSplit.ByTime(rows, t => t, 1.0)).ParamName);
    }

    [Fact]
    public void Rows_sharing_the_cutoff_instant_all_go_to_the_holdout()
    {
        var rows = Enumerable.Repeat(Start, 5).Concat(Enumerable.Repeat(Start.AddDays(1), 5)).ToList();

        var split = TimeSplit.ByTime(rows, t => t, 0.7);

        Assert.Equal(5, split.Train.Count);
        Assert.Equal(5, split.Holdout.Count);
    }
}
