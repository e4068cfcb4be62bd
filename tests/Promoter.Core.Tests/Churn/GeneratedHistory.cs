using Promoter.Core.Churn;

namespace Promoter.Core.Tests.Churn;

/// <summary>
/// Seeded synthetic workspaces: contacts scored on dates spread over two years, each with an earlier and a later score
/// (or none: 10% never answer), unanswered invitations and cases that are noise as far as churn is concerned.
/// </summary>
internal static class GeneratedHistory
{
    public static readonly DateTime Origin = new(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>How the churn outcome is drawn from a contact's signals.</summary>
    public delegate bool ChurnRule(ChurnSignals signals, Random random);

    /// <summary>Churn depends on the last score and the drop: logit = −1 − 0.45·(last − 5) + 0.35·drop (non-respondents −0.5).</summary>
    public static bool DependsOnScoreAndDrop(ChurnSignals s, Random random)
    {
        var logit = s.LastScore is { } last
            ? -1.0 - (0.45 * (last.Value - 5)) + (0.35 * Math.Max(0, -(s.Change ?? 0)))
            : -0.5;
        return random.NextDouble() < 1.0 / (1.0 + Math.Exp(-logit));
    }

    /// <summary>Churn is a coin with P = 0.25, whatever the signals.</summary>
    public static bool Random25(ChurnSignals s, Random random) => random.NextDouble() < 0.25;

    public static List<LabelledContact> Generate(int seed, int contacts, ChurnRule churn)
    {
        var random = new Random(seed);
        var rows = new List<LabelledContact>(contacts);
        for (var i = 0; i < contacts; i++)
        {
            var asOf = Origin.AddDays(random.NextDouble() * 730);
            var history = Contact(random, asOf);
            var signals = ChurnSignals.From(history, asOf);
            rows.Add(new LabelledContact(signals, asOf, churn(signals, random)));
        }

        return rows;
    }

    public static ContactHistory Contact(Random random, DateTime asOf)
    {
        var responses = new List<HistoryResponse>();
        var invitations = new List<HistoryInvitation>();
        if (random.NextDouble() >= 0.1)
        {
            var previousAt = asOf.AddDays(-(60 + (random.NextDouble() * 140)));
            var lastAt = asOf.AddDays(-(8 + (random.NextDouble() * 50)));
            var previous = PreviousScore(random);
            var delta = random.NextDouble() < 0.3 ? -random.Next(1, 7) : random.Next(-1, 3);
            responses.Add(new HistoryResponse(previousAt, Score.From(previous)));
            responses.Add(new HistoryResponse(lastAt, Score.From(Math.Clamp(previous + delta, 0, 10))));
            invitations.Add(new HistoryInvitation(previousAt, previousAt));
            invitations.Add(new HistoryInvitation(lastAt, lastAt));
            AddUnanswered(random, invitations, lastAt, asOf);
        }
        else
        {
            AddUnanswered(random, invitations, asOf.AddDays(-200), asOf);
        }

        var cases = new List<HistoryCase>();
        if (random.NextDouble() < 0.2)
        {
            var opened = asOf.AddDays(-random.Next(1, 20));
            var due = opened.AddDays(random.Next(1, 10));
            var closed = random.NextDouble() < 0.4 ? opened.AddDays(random.Next(0, 5)) : (DateTime?)null;
            var contacted = random.NextDouble() < 0.5 ? opened.AddHours(12) : (DateTime?)null;
            cases.Add(new HistoryCase(opened, due, contacted, closed));
        }

        return new ContactHistory(responses, invitations, cases);
    }

    private static int PreviousScore(Random random)
    {
        var u = random.NextDouble();
        return u switch
        {
            < 0.25 => random.Next(0, 7),
            < 0.55 => random.Next(7, 9),
            _ => random.Next(9, 11),
        };
    }

    private static void AddUnanswered(Random random, List<HistoryInvitation> invitations, DateTime after, DateTime asOf)
    {
        var count = random.Next(0, 3);
        for (var k = 0; k < count; k++)
        {
            var sent = after.AddDays(1 + (random.NextDouble() * Math.Max(1, (asOf - after).TotalDays - 1)));
            invitations.Add(new HistoryInvitation(sent));
        }
    }
}
