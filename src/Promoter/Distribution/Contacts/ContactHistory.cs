using Microsoft.EntityFrameworkCore;
using Promoter.Collect;
using Promoter.Data;
using Promoter.Platform;

namespace Promoter.Distribution.Contacts;

public sealed record ContactInvitationRow(Guid Id, string Survey, InvitationStatus Status, string? StatusReason, DateTime CreatedAt, DateTime ScheduledAt,
    DateTime? SentAt, DateTime? RespondedAt, string? Touchpoint);

public sealed record ContactResponseRow(long Id, string Survey, int Score, string? Comment, string Language, string Channel, DateTime RespondedAt);

public sealed record ContactProfile(Contact Contact, IReadOnlyDictionary<string, string> Properties,
    IReadOnlyList<ContactInvitationRow> Invitations, IReadOnlyList<ContactResponseRow> Responses);

/// <summary>Everything that happened with one contact: invitations with their status, final responses with score and comment.</summary>
public sealed class ContactHistory(PromoterDb db)
{
    public const int MaxRows = 1000;

    public async Task<ContactProfile> LoadAsync(Guid id, CancellationToken ct)
    {
        var contact = await db.Contacts.AsNoTracking().SingleOrDefaultAsync(c => c.Id == id, ct) ?? throw new NotFoundException("contact");
        var invitations = await (from i in db.Invitations.AsNoTracking()
                                 where i.ContactId == id
                                 join s in db.Surveys on i.SurveyId equals s.Id
                                 orderby i.CreatedAt descending
                                 select new ContactInvitationRow(i.Id, s.Name, i.Status, i.StatusReason, i.CreatedAt, i.ScheduledAt, i.SentAt, i.RespondedAt, i.Touchpoint))
            .Take(MaxRows).ToListAsync(ct);
        var responses = await (from r in db.Responses.AsNoTracking()
                               where r.ContactId == id && r.Status == ResponseStatus.Final
                               join s in db.Surveys on r.SurveyId equals s.Id
                               orderby r.RespondedAt descending
                               select new ContactResponseRow(r.Id, s.Name, r.Score, r.Comment, r.Language, r.Channel, r.RespondedAt))
            .Take(MaxRows).ToListAsync(ct);
        return new ContactProfile(contact, ContactDirectory.ReadProperties(contact.Properties), invitations, responses);
    }
}
