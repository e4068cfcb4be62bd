using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Promoter.Collect;
using Promoter.Data;
using Promoter.Platform.Csv;

namespace Promoter.Loop;

public sealed record PromoterEntry(Guid ContactId, string? Email, string? Name, int PromoterResponses, bool SuperFan, int LastScore, DateTime LastRespondedAt,
    IReadOnlyList<string> Comments);

public sealed record PromoterList(DateTime From, DateTime To, int Promoters, int SuperFans, int AnonymousPromoterResponses, IReadOnlyList<PromoterEntry> Entries);

/// <summary>
/// The people to thank, reward and ask for referrals and reviews: contacts with promoter responses (9–10) in the window,
/// super-fans (two or more) first, with what they said. Anonymous promoters are counted but cannot be listed.
/// </summary>
public sealed class PromoterActivation(PromoterDb db)
{
    public const int SuperFanResponses = 2;
    public const int MaxEntries = 10_000;
    public const int CommentsShown = 3;

    public async Task<PromoterList> ListAsync(LoopWindow window, CancellationToken ct)
    {
        var query = db.Responses.AsNoTracking()
            .Where(r => r.Status == ResponseStatus.Final && r.Score >= 9 && r.RespondedAt >= window.From && r.RespondedAt < window.To);
        if (window.SurveyId is { } surveyId)
        {
            query = query.Where(r => r.SurveyId == surveyId);
        }

        var anonymous = await query.CountAsync(r => r.ContactId == null, ct);
        var rows = await (from r in query.Where(r => r.ContactId != null)
                          join c in db.Contacts.AsNoTracking() on r.ContactId equals c.Id
                          select new { Contact = c.Id, c.Email, c.Name, r.Score, r.Comment, r.RespondedAt }).ToListAsync(ct);
        var entries = rows.GroupBy(r => r.Contact).Select(g =>
            {
                var ordered = g.OrderByDescending(r => r.RespondedAt).ToList();
                return new PromoterEntry(g.Key, ordered[0].Email, ordered[0].Name, ordered.Count, ordered.Count >= SuperFanResponses, ordered[0].Score,
                    ordered[0].RespondedAt, ordered.Where(r => r.Comment is not null).Select(r => r.Comment!).Take(CommentsShown).ToList());
            })
            .OrderByDescending(e => e.PromoterResponses).ThenByDescending(e => e.LastRespondedAt).Take(MaxEntries).ToList();
        return new PromoterList(window.From, window.To, entries.Count, entries.Count(e => e.SuperFan), anonymous, entries);
    }

    /// <summary>The list as CSV (spreadsheet-safe: cells that look like formulas are neutralised).</summary>
    public static void WriteCsv(PromoterList list, TextWriter writer)
    {
        var csv = new CsvWriter(writer);
        csv.WriteLine("email", "name", "promoter_responses", "super_fan", "last_score", "last_responded_at", "comments");
        foreach (var e in list.Entries)
        {
            csv.WriteLine(e.Email, e.Name, e.PromoterResponses.ToString(CultureInfo.InvariantCulture), e.SuperFan ? "yes" : "no",
                e.LastScore.ToString(CultureInfo.InvariantCulture), e.LastRespondedAt.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
                string.Join(" | ", e.Comments.Select(c => c.ReplaceLineEndings(" "))));
        }
    }
}
