using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Promoter.Collect;
using Promoter.Core;
using Promoter.Core.Churn;
using Promoter.Data;
using Promoter.Loop;

namespace Promoter.Churn;

/// <summary>One contact's history as the churn signals need it, with what the at-risk list filters on.</summary>
public sealed record LoadedContact(Guid ContactId, string? Account, Guid? OwnerUserId, bool HasUnassignedCase, ContactHistory History);

/// <summary>
/// Reads the churn histories (responses, invitations, cases) of a set of contacts in four queries, whatever the set's
/// size, for the rescoring of one contact, a nightly chunk and the model fit alike.
/// </summary>
public sealed class ChurnHistories(PromoterDb db, IOptions<ChurnOptions> options)
{
    private sealed record CaseRow(Guid? ContactId, DateTime CreatedAt, DateTime? DueAt, CaseStatus Status, DateTime? FirstContactedAt,
        DateTime? ResolvedAt, DateTime? ClosedAt, DateTime UpdatedAt, Guid? OwnerUserId);

    public async Task<IReadOnlyList<LoadedContact>> LoadAsync(IReadOnlyCollection<Guid> contactIds, CancellationToken ct)
    {
        var ids = contactIds.Distinct().ToList();
        var contacts = await db.Contacts.AsNoTracking().Where(c => ids.Contains(c.Id)).Select(c => new { c.Id, c.Properties }).ToListAsync(ct);
        var responses = (await db.Responses.AsNoTracking()
                .Where(r => r.ContactId != null && ids.Contains(r.ContactId.Value) && r.Status == ResponseStatus.Final)
                .Select(r => new { ContactId = r.ContactId!.Value, r.RespondedAt, r.Score }).ToListAsync(ct))
            .ToLookup(r => r.ContactId, r => new HistoryResponse(r.RespondedAt, Score.From(r.Score)));
        var invitations = (await db.Invitations.AsNoTracking()
                .Where(i => ids.Contains(i.ContactId) && i.SentAt != null)
                .Select(i => new { i.ContactId, SentAt = i.SentAt!.Value, i.RespondedAt }).ToListAsync(ct))
            .ToLookup(i => i.ContactId, i => new HistoryInvitation(i.SentAt, i.RespondedAt));
        var cases = (await db.Cases.AsNoTracking()
                .Where(c => c.ContactId != null && ids.Contains(c.ContactId.Value))
                .Select(c => new CaseRow(c.ContactId, c.CreatedAt, c.DueAt, c.Status, c.FirstContactedAt, c.ResolvedAt, c.ClosedAt, c.UpdatedAt, c.OwnerUserId))
                .ToListAsync(ct))
            .ToLookup(c => c.ContactId!.Value);

        var accountProperty = options.Value.AccountProperty;
        var loaded = new List<LoadedContact>(contacts.Count);
        foreach (var contact in contacts)
        {
            var own = cases[contact.Id].OrderBy(c => c.CreatedAt).ToList();
            var history = new ContactHistory([.. responses[contact.Id]], [.. invitations[contact.Id]], own.Select(ToHistory).ToList());
            loaded.Add(new LoadedContact(contact.Id, ChurnEventRecorder.AccountOf(contact.Properties, accountProperty),
                own.Count > 0 ? own[^1].OwnerUserId : null, own.Exists(c => c.OwnerUserId is null), history));
        }

        return loaded;
    }

    /// <summary>
    /// A case as the churn signals see it. Overdue is the product's own rule (<see cref="FollowUpCase.IsOverdueAt"/>: new and
    /// past due), so the due time only counts until someone contacted the customer; resolved, closed and won't-fix cases are
    /// closed at the first of those times.
    /// </summary>
    private static HistoryCase ToHistory(CaseRow c)
    {
        var closed = c.Status is CaseStatus.Resolved or CaseStatus.Closed or CaseStatus.WontFix ? c.ResolvedAt ?? c.ClosedAt ?? c.UpdatedAt : (DateTime?)null;
        return new HistoryCase(c.CreatedAt, c.FirstContactedAt is null ? c.DueAt : null, c.FirstContactedAt, closed);
    }
}
