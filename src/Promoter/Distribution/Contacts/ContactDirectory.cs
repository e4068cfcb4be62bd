using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Promoter.Data;
using Promoter.Platform;

namespace Promoter.Distribution.Contacts;

/// <summary>
/// Finds or creates the contact a caller describes, in the current workspace: by email (case-insensitive), else by
/// phone. Used by the contacts API, the CSV import, triggered invitations and anything else that learns about people.
/// Changes are added to the <see cref="PromoterDb"/> but not saved: they commit with the caller's transaction.
/// </summary>
public sealed class ContactDirectory(PromoterDb db, TimeProvider clock)
{
    /// <summary>Validates the input, then creates the contact or updates it (given fields win, properties merged).</summary>
    public async Task<Contact> UpsertAsync(ContactInput input, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var valid = ContactFields.Validate(input, errors);
        errors.ThrowIfAny();
        return await UpsertAsync(valid, cancellationToken);
    }

    /// <summary>The upsert of an already validated contact (the import validates every row first, then writes).</summary>
    public async Task<Contact> UpsertAsync(ValidContact valid, CancellationToken cancellationToken)
    {
        var byEmail = valid.EmailKey is null ? null : await FindByEmailKeyAsync(valid.EmailKey, cancellationToken);
        var byPhone = valid.Phone is null ? null : await FindByPhoneAsync(valid.Phone, cancellationToken);

        // A contact known only by phone gains the email; one known by another email keeps its phone to itself.
        var contact = byEmail ?? (byPhone is { EmailKey: null } || valid.EmailKey is null ? byPhone : null);
        if (byPhone is not null && !ReferenceEquals(byPhone, contact))
        {
            throw PhoneTaken();
        }

        var now = Now();
        if (contact is null)
        {
            var errors = new FieldErrors();
            var properties = ContactFields.Merge(new Dictionary<string, string>(), valid.Properties, errors);
            errors.ThrowIfAny();
            contact = new Contact
            {
                Id = Guid.CreateVersion7(clock.GetUtcNow()),
                WorkspaceId = db.Workspace.RequiredWorkspaceId,
                Email = valid.Email,
                EmailKey = valid.EmailKey,
                Phone = valid.Phone,
                Name = valid.Name,
                Locale = valid.Locale,
                TimeZone = valid.TimeZone,
                Properties = WriteProperties(properties),
                CreatedAt = now,
                UpdatedAt = now,
            };
            db.Contacts.Add(contact);
            return contact;
        }

        Apply(contact, valid, replace: false, now);
        return contact;
    }

    /// <summary>
    /// Copies validated fields onto a contact. A merge (upsert) keeps what the input leaves out and merges properties;
    /// a replace (PUT) stores exactly the input.
    /// </summary>
    public void Apply(Contact contact, ValidContact valid, bool replace, DateTime now)
    {
        var errors = new FieldErrors();
        var properties = ContactFields.Merge(replace ? new Dictionary<string, string>() : ReadProperties(contact.Properties), valid.Properties, errors);
        errors.ThrowIfAny();
        if (replace || valid.Email is not null)
        {
            contact.Email = valid.Email;
            contact.EmailKey = valid.EmailKey;
        }

        contact.Phone = replace ? valid.Phone : valid.Phone ?? contact.Phone;
        contact.Name = replace ? valid.Name : valid.Name ?? contact.Name;
        contact.Locale = replace ? valid.Locale : valid.Locale ?? contact.Locale;
        contact.TimeZone = replace ? valid.TimeZone : valid.TimeZone ?? contact.TimeZone;
        contact.Properties = WriteProperties(properties);
        contact.UpdatedAt = now;
    }

    /// <summary>The workspace's contact with this lower-case email, pending additions included.</summary>
    public async Task<Contact?> FindByEmailKeyAsync(string emailKey, CancellationToken ct) =>
        db.Contacts.Local.FirstOrDefault(c => c.EmailKey == emailKey && c.WorkspaceId == db.Workspace.WorkspaceId)
        ?? await db.Contacts.FirstOrDefaultAsync(c => c.EmailKey == emailKey, ct);

    /// <summary>The workspace's contact with this normalised phone number, pending additions included.</summary>
    public async Task<Contact?> FindByPhoneAsync(string phone, CancellationToken ct) =>
        db.Contacts.Local.FirstOrDefault(c => c.Phone == phone && c.WorkspaceId == db.Workspace.WorkspaceId)
        ?? await db.Contacts.FirstOrDefaultAsync(c => c.Phone == phone, ct);

    public static Dictionary<string, string> ReadProperties(string? json) =>
        string.IsNullOrEmpty(json) ? new(StringComparer.Ordinal) : PropertyBags.Read(json);

    public static string WriteProperties(IReadOnlyDictionary<string, string> properties) =>
        properties.Count == 0 ? "{}" : JsonSerializer.Serialize(properties);

    public static FieldConflictException EmailTaken() =>
        new("contact_email_taken", "email", "Another contact in this workspace already has this email address.");

    public static FieldConflictException PhoneTaken() =>
        new("contact_phone_taken", "phone", "Another contact in this workspace already has this phone number.");

    private DateTime Now()
    {
        // Microseconds, as PostgreSQL stores them, so what the API returns equals what a later read returns.
        var utc = clock.GetUtcNow().UtcDateTime;
        return utc.AddTicks(-(utc.Ticks % 10));
    }
}
