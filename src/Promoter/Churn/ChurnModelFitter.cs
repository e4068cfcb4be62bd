using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Promoter.Core.Churn;
using Promoter.Data;
using Promoter.Integrations.Webhooks;

namespace Promoter.Churn;

/// <summary>
/// Calibrates the churn score on the workspace's own history (issue 16 §3). Labelled rows are monthly snapshots: at each
/// scoring date T (now − horizon, then every 30 days back, 12 in all) every contact with some history by T and not yet
/// churned is a row, labelled churned when its first churn event falls in (T, T + horizon]. <see cref="ChurnModelSelection.FitAndSelect"/>
/// splits them by time (purging one horizon), fits, compares with the rules and writes the card, which is stored with the
/// model when it is in use.
/// </summary>
public sealed class ChurnModelFitter(PromoterDb db, ChurnHistories histories, TimeProvider clock, IOptions<ChurnOptions> options)
{
    public const int Snapshots = 12;
    public const int SnapshotDays = 30;

    /// <summary>Rows kept for a fit; larger workspaces are sampled by contact (every k-th) to stay in bounded memory.</summary>
    public const int MaxRows = 200_000;

    private const int Chunk = 2_000;

    public async Task<ChurnModelDto> FitAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var horizon = TimeSpan.FromDays(options.Value.HorizonDays);
        var churnAt = await ChurnDatesAsync(ct);
        var eventCount = await db.ChurnEvents.CountAsync(ct);

        ChurnModelDto card;
        ChurnModelRecord record;
        if (churnAt.Count < ModelSelectionOptions.Default.MinimumEvents)
        {
            card = ChurnModelDto.NotFitted(eventCount);
            record = new ChurnModelRecord { Status = "rules", Card = JsonSerializer.Serialize(card, WebhookJson.Options), FittedAt = now };
        }
        else
        {
            var rows = await LabelledRowsAsync(churnAt, now, horizon, ct);
            var selection = rows.Count >= 2
                ? ChurnModelSelection.FitAndSelect(rows, ModelSelectionOptions.Default with { Purge = horizon })
                : null;
            card = selection is null ? ChurnModelDto.NotFitted(eventCount) : ChurnModelDto.From(selection, eventCount, now);
            record = new ChurnModelRecord
            {
                Status = card.Status,
                Card = JsonSerializer.Serialize(card, WebhookJson.Options),
                Model = selection is { Status: ChurnModelStatus.Fitted, Model: { } model } ? JsonSerializer.Serialize(StoredModel.From(model), WebhookJson.Options) : null,
                FittedAt = now,
            };
        }

        var existing = await db.ChurnModels.SingleOrDefaultAsync(ct);
        if (existing is null)
        {
            db.ChurnModels.Add(record);
        }
        else
        {
            existing.Status = record.Status;
            existing.Card = record.Card;
            existing.Model = record.Model;
            existing.FittedAt = record.FittedAt;
        }

        await db.SaveChangesAsync(ct);
        return card;
    }

    /// <summary>The stored card, or the "not enough events" card before the first fit.</summary>
    public async Task<ChurnModelDto> CurrentAsync(CancellationToken ct)
    {
        var stored = await db.ChurnModels.AsNoTracking().Select(m => m.Card).SingleOrDefaultAsync(ct);
        return stored is not null && JsonSerializer.Deserialize<ChurnModelDto>(stored, WebhookJson.Options) is { } card
            ? card with { ChurnEventsRecorded = await db.ChurnEvents.CountAsync(ct) }
            : ChurnModelDto.NotFitted(await db.ChurnEvents.CountAsync(ct));
    }

    /// <summary>
    /// Each churned contact's first churn time: its own events, its account's events, and a Delighted-style
    /// <c>churned_at</c> property (ISO-8601 or Unix seconds) when present.
    /// </summary>
    public async Task<Dictionary<Guid, DateTime>> ChurnDatesAsync(CancellationToken ct)
    {
        var first = new Dictionary<Guid, DateTime>();
        void Note(Guid id, DateTime at)
        {
            if (!first.TryGetValue(id, out var known) || at < known)
            {
                first[id] = at;
            }
        }

        var events = await db.ChurnEvents.AsNoTracking().Select(e => new { e.ContactId, e.Account, e.OccurredAt }).ToListAsync(ct);
        foreach (var e in events.Where(e => e.ContactId is not null))
        {
            Note(e.ContactId!.Value, e.OccurredAt);
        }

        var accountProperty = options.Value.AccountProperty;
        var byAccount = events.Where(e => e.Account is not null).GroupBy(e => e.Account!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Min(e => e.OccurredAt), StringComparer.Ordinal);
        // Property names are letters, digits and _.- only, so their JSON form is the name in quotes.
        var accountNeedle = "\"" + accountProperty + "\"";
        var candidates = db.Contacts.AsNoTracking()
            .Where(c => c.Properties.Contains("\"churned_at\"") || (byAccount.Count > 0 && c.Properties.Contains(accountNeedle)))
            .Select(c => new { c.Id, c.Properties }).AsAsyncEnumerable();
        await foreach (var c in candidates.WithCancellation(ct))
        {
            var properties = Distribution.Contacts.ContactDirectory.ReadProperties(c.Properties);
            if (properties.TryGetValue("churned_at", out var churned) && ParseChurnedAt(churned) is { } at)
            {
                Note(c.Id, at);
            }

            if (properties.TryGetValue(accountProperty, out var account) && byAccount.TryGetValue(account, out var accountAt))
            {
                Note(c.Id, accountAt);
            }
        }

        return first;
    }

    /// <summary>Delighted sends times as Unix seconds; exports and people write ISO-8601. Anything else is ignored.</summary>
    public static DateTime? ParseChurnedAt(string? text)
    {
        if (long.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var seconds) && seconds is > 946_684_800 and < 32_503_680_000)
        {
            return DateTimeOffset.FromUnixTimeSeconds(seconds).UtcDateTime;
        }

        return DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var parsed)
            ? parsed.UtcDateTime
            : null;
    }

    private async Task<List<LabelledContact>> LabelledRowsAsync(Dictionary<Guid, DateTime> churnAt, DateTime now, TimeSpan horizon, CancellationToken ct)
    {
        var contactCount = await db.Contacts.CountAsync(ct);
        var stride = Math.Max(1, (int)Math.Ceiling((double)contactCount * Snapshots / MaxRows));
        var dates = Enumerable.Range(0, Snapshots).Select(k => now - horizon - TimeSpan.FromDays(SnapshotDays * k)).ToArray();
        var rows = new List<LabelledContact>();
        Guid? after = null;
        var seen = 0;
        while (true)
        {
            var query = db.Contacts.AsNoTracking();
            if (after is { } last)
            {
                query = query.Where(c => c.Id > last);
            }

            var ids = await query.OrderBy(c => c.Id).Select(c => c.Id).Take(Chunk).ToListAsync(ct);
            if (ids.Count == 0)
            {
                return rows;
            }

            after = ids[^1];
            // Every churned contact is kept (they are the scarce class); the retained are sampled by stride.
            var chosen = ids.Where(id => churnAt.ContainsKey(id) || seen++ % stride == 0).ToList();
            foreach (var contact in await histories.LoadAsync(chosen, ct))
            {
                var churned = churnAt.TryGetValue(contact.ContactId, out var c) ? c : (DateTime?)null;
                foreach (var t in dates)
                {
                    if (churned <= t || !HasHistoryBy(contact.History, t))
                    {
                        continue;
                    }

                    rows.Add(new LabelledContact(ChurnSignals.From(contact.History, t), t, churned is { } when && when <= t + horizon));
                }
            }
        }
    }

    private static bool HasHistoryBy(ContactHistory h, DateTime t) =>
        h.Responses.Any(r => r.At <= t) || h.Invitations.Any(i => i.SentAt <= t);
}
