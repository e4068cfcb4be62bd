using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Promoter.Collect;
using Promoter.Core;
using Promoter.Data;
using Promoter.Platform;

namespace Promoter.Loop;

/// <summary>Cases whose response time falls in [From, To), optionally of one survey.</summary>
public sealed record LoopWindow(DateTime From, DateTime To, Guid? SurveyId);

public sealed record Count(string Name, int Cases);

public sealed record MonthCount(string Month, string Name, int Cases);

public sealed record SlaShare(int Decided, int WithinSla, double? Share);

public sealed record Recovery(int DetractorsWithContact, int WithLaterResponse, int Improved, int NowPassiveOrPromoter, double? RecoveryRate, double? NowPassiveOrPromoterRate);

public sealed record OwnerMetrics(Guid? OwnerUserId, string Owner, int Cases, SlaShare DetractorsContactedWithinSla, double? MedianHoursToFirstContact, int Resolved);

public sealed record LoopMetricsResult(
    DateTime From, DateTime To, int Cases, int DetractorCases, int OpenCases, int OverdueCases,
    SlaShare DetractorsContactedWithinSla, double? MedianHoursToFirstContact, double? MedianHoursToResolution, Recovery Recovery,
    IReadOnlyList<Count> TopRootCauses, IReadOnlyList<Count> TopTags, IReadOnlyList<MonthCount> RootCausesByMonth, IReadOnlyList<MonthCount> TagsByMonth,
    IReadOnlyList<OwnerMetrics> PerOwner);

/// <summary>
/// How well the loop is closed (definitions in docs/loop-metrics.md): detractors contacted within the SLA, median hours
/// to first contact and to resolution, recovery (a detractor's next response is higher / passive or promoter), top root
/// causes and tags per month, the same per owner. Computed from the cases of the window, in memory: cases are few next
/// to responses.
/// </summary>
public sealed class LoopMetrics(PromoterDb db, TimeProvider clock)
{
    public const int TopCount = 10;

    // Open ends as plain dates both databases store (DateTime.MinValue/MaxValue overflow PostgreSQL's conversions).
    private static readonly DateTime s_earliest = new(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private static readonly DateTime s_latest = new(3000, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    /// <summary><paramref name="to"/> as a date means up to the start of that day; absent ends are open.</summary>
    public static LoopWindow ParseWindow(string? from, string? to, Guid? surveyId)
    {
        var errors = new FieldErrors();
        var end = Parse(to, "to", errors) ?? s_latest;
        var start = Parse(from, "from", errors) ?? s_earliest;
        if (!errors.Any && start >= end)
        {
            errors.Add("from", "from must be before to.");
        }

        errors.ThrowIfAny();
        return new LoopWindow(start, end, surveyId);
    }

    private static DateTime? Parse(string? text, string field, FieldErrors errors)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (DateTime.TryParseExact(text.Trim(), ["yyyy-MM-dd", "yyyy-MM-dd'T'HH:mm:ss'Z'", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'"], CultureInfo.InvariantCulture,
                DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var value))
        {
            return DateTime.SpecifyKind(value, DateTimeKind.Utc);
        }

        errors.Add(field, "Use a date (2026-11-30) or a UTC time (2026-11-30T08:00:00Z).");
        return null;
    }

    public async Task<LoopMetricsResult> ComputeAsync(LoopWindow window, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var query = db.Cases.AsNoTracking().Where(c => c.RespondedAt >= window.From && c.RespondedAt < window.To);
        if (window.SurveyId is { } surveyId)
        {
            query = query.Where(c => c.SurveyId == surveyId);
        }

        var cases = await query.ToListAsync(ct);
        var members = await LoopMembers.ListAsync(db, ct);
        var detractors = cases.Where(c => c.Category == NpsCategory.Detractor).ToList();
        var perOwner = cases.GroupBy(c => c.OwnerUserId).Select(g =>
        {
            var label = g.Key is { } id ? members.FirstOrDefault(m => m.UserId == id)?.Label ?? "former member" : "unassigned";
            return new OwnerMetrics(g.Key, label, g.Count(), Sla(g.Where(c => c.Category == NpsCategory.Detractor), now),
                Median(g.Where(c => c.FirstContactedAt is not null).Select(c => Hours(c.FirstContactedAt!.Value - c.RespondedAt))),
                g.Count(c => c.ResolvedAt is not null));
        }).OrderByDescending(o => o.Cases).ThenBy(o => o.Owner, StringComparer.Ordinal).ToList();

        return new LoopMetricsResult(
            window.From, window.To, cases.Count, detractors.Count, cases.Count(c => c.IsOpen), cases.Count(c => c.IsOverdueAt(now)),
            Sla(detractors, now),
            Median(cases.Where(c => c.FirstContactedAt is not null).Select(c => Hours(c.FirstContactedAt!.Value - c.RespondedAt))),
            Median(cases.Where(c => c.ResolvedAt is not null).Select(c => Hours(c.ResolvedAt!.Value - c.RespondedAt))),
            await RecoveryAsync(detractors, ct),
            Top(cases.Where(c => c.RootCause is not null).Select(c => c.RootCause!)),
            Top(cases.SelectMany(c => c.TagList)),
            ByMonth(cases.Where(c => c.RootCause is not null).Select(c => (c.RespondedAt, c.RootCause!))),
            ByMonth(cases.SelectMany(c => c.TagList.Select(t => (c.RespondedAt, t)))),
            perOwner);
    }

    /// <summary>Decided = contacted, or past due without contact; cases still inside their SLA and not contacted are not judged yet.</summary>
    public static SlaShare Sla(IEnumerable<FollowUpCase> detractors, DateTime now)
    {
        var decided = detractors.Where(c => c.DueAt is not null && (c.FirstContactedAt is not null || c.DueAt <= now)).ToList();
        var within = decided.Count(c => c.FirstContactedAt is { } first && first <= c.DueAt);
        return new SlaShare(decided.Count, within, decided.Count == 0 ? null : (double)within / decided.Count);
    }

    private async Task<Recovery> RecoveryAsync(List<FollowUpCase> detractors, CancellationToken ct)
    {
        var withContact = detractors.Where(c => c.ContactId is not null).ToList();
        var contactIds = withContact.Select(c => c.ContactId!.Value).Distinct().ToList();
        var later = new List<(Guid Contact, long Id, short Score, DateTime At)>();
        foreach (var chunk in contactIds.Chunk(500))
        {
            var rows = await db.Responses.AsNoTracking()
                .Where(r => r.ContactId != null && chunk.Contains(r.ContactId.Value) && r.Status == ResponseStatus.Final)
                .Select(r => new { Contact = r.ContactId!.Value, r.Id, r.Score, r.RespondedAt }).ToListAsync(ct);
            later.AddRange(rows.Select(r => (r.Contact, r.Id, r.Score, r.RespondedAt)));
        }

        var byContact = later.ToLookup(r => r.Contact);
        int withNext = 0, improved = 0, nowOk = 0;
        foreach (var c in withContact)
        {
            var next = byContact[c.ContactId!.Value].Where(r => r.Id != c.ResponseId && (r.At > c.RespondedAt || (r.At == c.RespondedAt && r.Id > c.ResponseId)))
                .OrderBy(r => r.At).ThenBy(r => r.Id).Select(r => (short?)r.Score).FirstOrDefault();
            if (next is not { } score)
            {
                continue;
            }

            withNext++;
            improved += score > c.Score ? 1 : 0;
            nowOk += score >= 7 ? 1 : 0;
        }

        return new Recovery(withContact.Count, withNext, improved, nowOk, withNext == 0 ? null : (double)improved / withNext, withNext == 0 ? null : (double)nowOk / withNext);
    }

    public static double? Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        if (sorted.Count == 0)
        {
            return null;
        }

        var mid = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    private static double Hours(TimeSpan span) => span.TotalHours;

    private static List<Count> Top(IEnumerable<string> names) =>
        names.GroupBy(n => n, StringComparer.Ordinal).Select(g => new Count(g.Key, g.Count()))
            .OrderByDescending(c => c.Cases).ThenBy(c => c.Name, StringComparer.Ordinal).Take(TopCount).ToList();

    private static List<MonthCount> ByMonth(IEnumerable<(DateTime At, string Name)> items) =>
        items.GroupBy(i => (Month: i.At.ToString("yyyy-MM", CultureInfo.InvariantCulture), i.Name))
            .Select(g => new MonthCount(g.Key.Month, g.Key.Name, g.Count()))
            .OrderBy(m => m.Month, StringComparer.Ordinal).ThenByDescending(m => m.Cases).ThenBy(m => m.Name, StringComparer.Ordinal).ToList();
}
