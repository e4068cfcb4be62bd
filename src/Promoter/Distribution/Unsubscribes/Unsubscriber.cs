using Microsoft.EntityFrameworkCore;
using Promoter.Data;
using Promoter.Integrations.Webhooks;
using Promoter.Platform;
using Promoter.Platform.Email;

namespace Promoter.Distribution.Unsubscribes;

/// <summary>What the unsubscribe link, the one-click POST and the API return: the address and since when it is suppressed.</summary>
public sealed record UnsubscribeDto(string Email, string Source, DateTime UnsubscribedAt);

/// <summary>
/// Puts an address on the workspace's suppression list as unsubscribed, at once and idempotently: a second request
/// (a mail provider's one-click POST after the person pressed the button) changes nothing and reports the first.
/// Survey mail already queued for the address is stopped by the dispatcher's send-time check, reminders included.
/// The change and its <c>contact.unsubscribed</c> webhook event commit together.
/// </summary>
public sealed class Unsubscriber(PromoterDb db, WebhookEvents webhooks, TimeProvider clock)
{
    public sealed record Result(UnsubscribeDto Unsubscribe, bool Created);

    public async Task<Result> UnsubscribeAsync(string email, string source, CancellationToken ct)
    {
        var key = EmailAddresses.Key(email);
        if (await FindAsync(key, ct) is { } existing)
        {
            return new Result(existing, false);
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var suppression = new EmailSuppression { EmailKey = key, Reason = SuppressionReason.Unsubscribed, Source = source, CreatedAt = now };
        db.EmailSuppressions.Add(suppression);
        var contact = await db.Contacts.AsNoTracking().Where(c => c.EmailKey == key).Select(c => new { c.Id, c.Name }).FirstOrDefaultAsync(ct);
        webhooks.Add(WebhookEventTypes.ContactUnsubscribed, contact?.Id.ToString() ?? key,
            new { contactId = contact?.Id, email = key, name = contact?.Name, source, unsubscribedAt = now });
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // A concurrent request (the button and the provider's one-click at once) may have got there first.
            db.ChangeTracker.Clear();
            if (await FindAsync(key, ct) is { } raced)
            {
                return new Result(raced, false);
            }

            throw;
        }

        return new Result(new UnsubscribeDto(key, source, now), true);
    }

    private Task<UnsubscribeDto?> FindAsync(string key, CancellationToken ct) =>
        db.EmailSuppressions.AsNoTracking().Where(s => s.EmailKey == key && s.Reason == SuppressionReason.Unsubscribed)
            .Select(s => new UnsubscribeDto(s.EmailKey, s.Source, s.CreatedAt)).FirstOrDefaultAsync(ct);
}
