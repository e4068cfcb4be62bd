using System.Globalization;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Promoter.Collect;
using Promoter.Data;
using Promoter.Platform;

namespace Promoter.Churn;

/// <summary>The body of <c>POST /api/v1/churn-events</c>: one of email, contactId or account; the time; optional reason, revenue and key.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record ChurnEventInput(string? Email, Guid? ContactId, string? Account, string? OccurredAt, string? Reason, double? Revenue, string? ExternalKey);

/// <summary>A churn event on the API.</summary>
public sealed record ChurnEventDto(Guid Id, Guid? ContactId, string? Account, DateTime OccurredAt, string? Reason, double? Revenue, string? ExternalKey, string Source, DateTime CreatedAt)
{
    public static ChurnEventDto From(ChurnEvent e) => new(e.Id, e.ContactId, e.Account, e.OccurredAt, e.Reason, e.Revenue, e.ExternalKey, e.Source, e.CreatedAt);
}

/// <summary>A checked event, ready to store: who (contact or account), when, and its idempotency key.</summary>
public sealed record ValidChurnEvent(Guid? ContactId, string? Account, DateTime OccurredAt, string? Reason, double? Revenue, string? ExternalKey)
{
    public string DedupeKey => ExternalKey is { } key
        ? "x:" + key
        : ContactId is { } id
            ? string.Create(CultureInfo.InvariantCulture, $"c:{id:N}:{OccurredAt.Ticks}")
            : string.Create(CultureInfo.InvariantCulture, $"a:{OccurredAt.Ticks}:{Account}");
}

/// <summary>
/// Checks and stores churn events. An event names an existing contact (by id or email) or an account that at least one
/// contact has; unknown ones are refused with the field named, never created. A repeated event (same external key, or
/// same contact/account and time) is the stored one again.
/// </summary>
public sealed class ChurnEventRecorder(PromoterDb db, TimeProvider clock, IOptions<ChurnOptions> options)
{
    public const double MaxRevenue = 1e12;

    public sealed record Recorded(ChurnEvent Event, bool Created);

    /// <summary>Checks the shape of <paramref name="input"/> (no database); null with errors added when it is invalid.</summary>
    public static (string? EmailKey, Guid? ContactId, string? Account, DateTime OccurredAt, string? Reason, double? Revenue, string? ExternalKey)? Check(
        ChurnEventInput input, DateTime now, FieldErrors errors, string prefix = "")
    {
        var named = (input.Email is not null ? 1 : 0) + (input.ContactId is not null ? 1 : 0) + (input.Account is not null ? 1 : 0);
        if (named != 1)
        {
            errors.Add(prefix + "email", "Give exactly one of email, contactId or account.");
        }

        string? emailKey = null;
        if (input.Email is not null)
        {
            if (!EmailAddresses.TryNormalize(input.Email, out var email))
            {
                errors.Add(prefix + "email", "Not a valid email address.");
            }
            else
            {
                emailKey = EmailAddresses.Key(email);
            }
        }

        var account = TextInput.Clean(input.Account, multiline: false);
        if (input.Account is not null && (string.IsNullOrWhiteSpace(account) || account.Length > ChurnEvent.MaxAccountLength))
        {
            errors.Add(prefix + "account", $"Give the account's name, 1 to {ChurnEvent.MaxAccountLength} characters.");
        }

        DateTime? at = null;
        if (input.OccurredAt is null)
        {
            errors.Add(prefix + "occurredAt", "Required: when the customer left, e.g. 2026-03-01T00:00:00Z.");
        }
        else
        {
            at = ResponseFields.Time(input.OccurredAt, prefix + "occurredAt", now, errors);
        }

        var reason = TextInput.Clean(input.Reason, multiline: true);
        if (reason is { Length: > ChurnEvent.MaxReasonLength })
        {
            errors.Add(prefix + "reason", $"At most {ChurnEvent.MaxReasonLength} characters.");
        }

        if (input.Revenue is { } revenue && (!double.IsFinite(revenue) || Math.Abs(revenue) > MaxRevenue))
        {
            errors.Add(prefix + "revenue", "A finite amount below 10^12.");
        }

        var key = TextInput.Clean(input.ExternalKey, multiline: false);
        if (input.ExternalKey is not null && (string.IsNullOrWhiteSpace(key) || key.Length > ChurnEvent.MaxExternalKeyLength))
        {
            errors.Add(prefix + "externalKey", $"1 to {ChurnEvent.MaxExternalKeyLength} characters.");
        }

        return errors.Any || at is null
            ? null
            : (emailKey, input.ContactId, account, at.Value, string.IsNullOrWhiteSpace(reason) ? null : reason, input.Revenue, key);
    }

    /// <summary>Validates, resolves the contact or account, and stores the event unless it is already stored.</summary>
    /// <exception cref="RequestValidationException">A field is invalid.</exception>
    /// <exception cref="FieldUnprocessableException">The contact or account is unknown (code <c>unknown_contact</c> / <c>unknown_account</c>).</exception>
    public async Task<Recorded> RecordAsync(ChurnEventInput input, string source, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var errors = new FieldErrors();
        var checkedInput = Check(input, now, errors);
        errors.ThrowIfAny();
        var (emailKey, contactId, account, at, reason, revenue, key) = checkedInput!.Value;

        var valid = await ResolveAsync(emailKey, contactId, account, at, reason, revenue, key, ct)
                    ?? throw (account is not null
                        ? new FieldUnprocessableException("unknown_account", "account", "No contact has this account; nothing was recorded.")
                        : new FieldUnprocessableException("unknown_contact", contactId is null ? "email" : "contactId",
                            "No contact matches; nothing was recorded (churn events never create contacts)."));

        if (await db.ChurnEvents.AsNoTracking().SingleOrDefaultAsync(e => e.DedupeKey == valid.DedupeKey, ct) is { } existing)
        {
            return new Recorded(existing, false);
        }

        var created = NewEvent(valid, source, now);
        db.ChurnEvents.Add(created);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // The same event arrived twice at once: the other request stored it.
            db.ChangeTracker.Clear();
            var stored = await db.ChurnEvents.AsNoTracking().SingleOrDefaultAsync(e => e.DedupeKey == valid.DedupeKey, ct);
            return stored is not null ? new Recorded(stored, false) : throw new ConflictException("churn_event_conflict", "Try again.");
        }

        return new Recorded(created, true);
    }

    /// <summary>The event with its contact found (by id or email) or its account confirmed; null when neither is known.</summary>
    public async Task<ValidChurnEvent?> ResolveAsync(string? emailKey, Guid? contactId, string? account, DateTime at, string? reason, double? revenue, string? key,
        CancellationToken ct)
    {
        if (account is not null)
        {
            return await AccountExistsAsync(account, ct) ? new ValidChurnEvent(null, account, at, reason, revenue, key) : null;
        }

        var id = contactId is { } given
            ? await db.Contacts.Where(c => c.Id == given).Select(c => (Guid?)c.Id).SingleOrDefaultAsync(ct)
            : await db.Contacts.Where(c => c.EmailKey == emailKey).Select(c => (Guid?)c.Id).SingleOrDefaultAsync(ct);
        return id is null ? null : new ValidChurnEvent(id, null, at, reason, revenue, key);
    }

    public ChurnEvent NewEvent(ValidChurnEvent valid, string source, DateTime now) => new()
    {
        Id = Guid.CreateVersion7(),
        ContactId = valid.ContactId,
        Account = valid.Account,
        OccurredAt = valid.OccurredAt,
        Reason = valid.Reason,
        Revenue = valid.Revenue,
        ExternalKey = valid.ExternalKey,
        DedupeKey = valid.DedupeKey,
        Source = source,
        CreatedAt = now,
    };

    private async Task<bool> AccountExistsAsync(string account, CancellationToken ct)
    {
        // Properties are a JSON object of strings: a substring test narrows, the parsed value decides.
        var needle = System.Text.Json.JsonSerializer.Serialize(account);
        var candidates = await db.Contacts.AsNoTracking().Where(c => c.Properties.Contains(needle)).Select(c => c.Properties).Take(50).ToListAsync(ct);
        return candidates.Any(p => AccountOf(p, options.Value.AccountProperty) == account);
    }

    /// <summary>The account property value of a contact's properties JSON, or null.</summary>
    public static string? AccountOf(string? properties, string accountProperty) =>
        Distribution.Contacts.ContactDirectory.ReadProperties(properties).TryGetValue(accountProperty, out var value) && !string.IsNullOrWhiteSpace(value) ? value : null;
}
