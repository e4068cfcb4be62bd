using Microsoft.EntityFrameworkCore;
using Promoter.Data;
using Promoter.Distribution;
using Promoter.Distribution.Contacts;
using Promoter.Platform;

namespace Promoter.Integrations.Delighted;

/// <summary>
/// The person a path names, in the forms Delighted clients send: an id, <c>email:ana@example.com</c>,
/// <c>phone_number:+14155551212</c>, or a bare email (the survey request path).
/// </summary>
public static class PersonKeys
{
    public static async Task<Contact?> FindAsync(PromoterDb db, string key, bool tracked, CancellationToken ct)
    {
        key = DelightedRoutes.WithoutSuffix(key);
        var contacts = tracked ? db.Contacts : db.Contacts.AsNoTracking();
        if (key.StartsWith("email:", StringComparison.Ordinal) || (key.Contains('@', StringComparison.Ordinal) && !key.Contains(':', StringComparison.Ordinal)))
        {
            var email = key.StartsWith("email:", StringComparison.Ordinal) ? key["email:".Length..] : key;
            var emailKey = EmailAddresses.Key(email);
            return await contacts.FirstOrDefaultAsync(c => c.EmailKey == emailKey, ct);
        }

        if (key.StartsWith("phone_number:", StringComparison.Ordinal))
        {
            var phone = ContactFields.Phone(key["phone_number:".Length..], new FieldErrors());
            return phone is null ? null : await contacts.FirstOrDefaultAsync(c => c.Phone == phone, ct);
        }

        return Guid.TryParse(key, out var id) ? await contacts.FirstOrDefaultAsync(c => c.Id == id, ct) : null;
    }

    public static async Task<Contact> RequireAsync(PromoterDb db, string key, bool tracked, CancellationToken ct) =>
        await FindAsync(db, key, tracked, ct) ?? throw new NotFoundException("person");
}
