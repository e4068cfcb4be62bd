namespace Promoter.Core.Churn;

/// <summary>How the category moved from the previous score to the last.</summary>
public enum CategoryMove
{
    /// <summary>Same category, an improvement, or fewer than two scores.</summary>
    None,
    PromoterToPassive,
    PassiveToDetractor,
    PromoterToDetractor,
}

/// <summary>
/// The churn-risk signals of one contact as of a scoring date (statistics.md §6.1). Dates are UTC. Non-response is its
/// own state: a contact with no score is <see cref="ResponseCategory.NonRespondent"/>, never a passive.
/// </summary>
public sealed record ChurnSignals
{
    /// <summary>An invitation counts as unanswered only once it is this old, so a survey sent yesterday is not silence.</summary>
    public const int UnansweredGraceDays = 7;

    /// <summary>A case closed without contact counts for this many days after closing.</summary>
    public const int ClosedWithoutContactWindowDays = 90;

    /// <summary>The trend is fitted on at most this many of the latest scores (and needs at least three).</summary>
    public const int TrendScores = 5;

    private const double DaysPerMonth = 30.0;

    public Score? LastScore { get; init; }

    public DateTime? LastResponseAt { get; init; }

    public Score? PreviousScore { get; init; }

    public DateTime? PreviousResponseAt { get; init; }

    /// <summary>OLS slope of the last up-to-5 scores against time, in points per 30 days; null with fewer than 3 scores.</summary>
    public double? TrendPerMonth { get; init; }

    /// <summary>Invitations sent after the last response (or ever, for a non-respondent) and still unanswered.</summary>
    public int UnansweredInvitations { get; init; }

    public int OpenCases { get; init; }

    /// <summary>Open cases whose due time has passed.</summary>
    public int OverdueCases { get; init; }

    /// <summary>Due time of the longest-overdue open case.</summary>
    public DateTime? OldestOverdueDueAt { get; init; }

    /// <summary>Closing time of the latest case closed without any contact with the customer, within 90 days.</summary>
    public DateTime? ClosedWithoutContactAt { get; init; }

    /// <summary>NPS (−100..100) of the contact's account, when accounts are used.</summary>
    public double? AccountNps { get; init; }

    public ResponseCategory Category => ResponseCategories.Of(LastScore);

    /// <summary>Last − previous score; null with fewer than two scores.</summary>
    public int? Change => LastScore is { } last && PreviousScore is { } previous ? last.Value - previous.Value : null;

    public CategoryMove Move => (PreviousScore?.Category, LastScore?.Category) switch
    {
        (NpsCategory.Promoter, NpsCategory.Passive) => CategoryMove.PromoterToPassive,
        (NpsCategory.Passive, NpsCategory.Detractor) => CategoryMove.PassiveToDetractor,
        (NpsCategory.Promoter, NpsCategory.Detractor) => CategoryMove.PromoterToDetractor,
        _ => CategoryMove.None,
    };

    /// <summary>Whole days from the last response to <paramref name="asOf"/>; null for a non-respondent.</summary>
    public int? DaysSinceLastResponse(DateTime asOf) => LastResponseAt is { } at ? WholeDays(at, asOf) : null;

    /// <summary>Whole days the oldest overdue case is late at <paramref name="asOf"/>; 0 when none is overdue.</summary>
    public int DaysOverdue(DateTime asOf) => OverdueCases > 0 && OldestOverdueDueAt is { } due ? Math.Max(0, WholeDays(due, asOf)) : 0;

    /// <summary>
    /// The signals as of <paramref name="asOf"/>, using only events at or before it (so a model trained on past scoring
    /// dates never sees the future). Unanswered invitations are those sent after the last response, at least
    /// <see cref="UnansweredGraceDays"/> days before <paramref name="asOf"/>, and not answered by then. A case is open when
    /// opened by then and not yet closed; overdue when also past its due time; "closed without contact" when it was closed
    /// in the last <see cref="ClosedWithoutContactWindowDays"/> days with no first contact before closing.
    /// </summary>
    public static ChurnSignals From(ContactHistory history, DateTime asOf)
    {
        ArgumentNullException.ThrowIfNull(history);

        // The latest few responses by time, kept sorted oldest → newest in a small buffer (no sort of the whole list).
        Span<HistoryResponse> latest = stackalloc HistoryResponse[TrendScores];
        var kept = 0;
        foreach (var r in history.Responses)
        {
            if (r.At > asOf)
            {
                continue;
            }

            if (kept < TrendScores)
            {
                // Append, then bubble toward the front while older than its neighbour.
                latest[kept++] = r;
                for (var i = kept - 1; i > 0 && latest[i].At < latest[i - 1].At; i--)
                {
                    (latest[i], latest[i - 1]) = (latest[i - 1], latest[i]);
                }
            }
            else if (r.At > latest[0].At)
            {
                // Replace the oldest kept, then bubble toward the back while newer than its neighbour.
                latest[0] = r;
                for (var i = 0; i < kept - 1 && latest[i].At > latest[i + 1].At; i++)
                {
                    (latest[i], latest[i + 1]) = (latest[i + 1], latest[i]);
                }
            }
        }

        var recent = latest[..kept];
        DateTime? lastAt = kept > 0 ? recent[kept - 1].At : null;

        var unanswered = 0;
        var graceCutoff = asOf.AddDays(-UnansweredGraceDays);
        foreach (var invitation in history.Invitations)
        {
            var afterLastResponse = lastAt is null || invitation.SentAt > lastAt;
            var answered = invitation.AnsweredAt is { } answeredAt && answeredAt <= asOf;
            if (afterLastResponse && invitation.SentAt <= graceCutoff && !answered)
            {
                unanswered++;
            }
        }

        int open = 0, overdue = 0;
        DateTime? oldestDue = null, closedWithoutContact = null;
        var windowStart = asOf.AddDays(-ClosedWithoutContactWindowDays);
        foreach (var c in history.Cases)
        {
            if (c.OpenedAt > asOf)
            {
                continue;
            }

            if (c.ClosedAt is { } closed && closed <= asOf)
            {
                var contacted = c.FirstContactAt is { } first && first <= closed;
                if (!contacted && closed >= windowStart && (closedWithoutContact is null || closed > closedWithoutContact))
                {
                    closedWithoutContact = closed;
                }

                continue;
            }

            open++;
            if (c.DueAt is { } due && due < asOf)
            {
                overdue++;
                if (oldestDue is null || due < oldestDue)
                {
                    oldestDue = due;
                }
            }
        }

        return new ChurnSignals
        {
            LastScore = kept > 0 ? recent[kept - 1].Score : null,
            LastResponseAt = lastAt,
            PreviousScore = kept > 1 ? recent[kept - 2].Score : null,
            PreviousResponseAt = kept > 1 ? recent[kept - 2].At : null,
            TrendPerMonth = kept >= 3 ? Slope(recent) : null,
            UnansweredInvitations = unanswered,
            OpenCases = open,
            OverdueCases = overdue,
            OldestOverdueDueAt = oldestDue,
            ClosedWithoutContactAt = closedWithoutContact,
            AccountNps = history.AccountNps,
        };
    }

    /// <summary>Ordinary least-squares slope of score on time: Σ(t − t̄)(s − s̄) / Σ(t − t̄)², scaled to 30 days.</summary>
    internal static double? Slope(ReadOnlySpan<HistoryResponse> responses)
    {
        var origin = responses[0].At;
        double meanT = 0, meanS = 0;
        foreach (var r in responses)
        {
            meanT += (r.At - origin).TotalDays;
            meanS += r.Score.Value;
        }

        meanT /= responses.Length;
        meanS /= responses.Length;
        double sxy = 0, sxx = 0;
        foreach (var r in responses)
        {
            var dt = (r.At - origin).TotalDays - meanT;
            sxy += dt * (r.Score.Value - meanS);
            sxx += dt * dt;
        }

        // All on the same instant: no time axis, no trend.
        return sxx > 0 ? DaysPerMonth * sxy / sxx : null;
    }

    internal static int WholeDays(DateTime from, DateTime to) => (int)Math.Floor((to - from).TotalDays);
}
