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
    // Contacts this scope has seen or created, by key, so thousands of upserts in one transaction (an import) neither
    // query once per row nor scan the change tracker per row. Keys looked up in bulk and absent are remembered too.
    private readonly Dictionary<string, Contact> _byEmailKey = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Contact> _byPhone = new(StringComparer.Ordinal);
    private readonly HashSet<string> _absentEmailKeys = new(StringComparer.Ordinal);
    private readonly HashSet<string> _absentPhones = new(StringComparer.Ordinal);

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
            Remember(contact);
            return contact;
        }

        Apply(contact, valid, replace: false, now);
        Remember(contact);
        return contact;
    }

    /// <summary>
    /// Loads (and tracks) every contact with one of these email keys or phones in a few queries, so the upserts that
    /// follow need no query of their own. For bulk callers; single upserts do not need it.
    /// </summary>
    public async Task PreloadAsync(IReadOnlyCollection<string> emailKeys, IReadOnlyCollection<string> phones, CancellationToken ct)
    {
        const int Chunk = 500;
        foreach (var keys in emailKeys.Where(k => !_byEmailKey.ContainsKey(k)).Distinct(StringComparer.Ordinal).Chunk(Chunk))
        {
            foreach (var found in await db.Contacts.Where(c => keys.Contains(c.EmailKey!)).ToListAsync(ct))
            {
                Remember(found);
            }

            _absentEmailKeys.UnionWith(keys.Where(k => !_byEmailKey.ContainsKey(k)));
        }

        foreach (var numbers in phones.Where(p => !_byPhone.ContainsKey(p)).Distinct(StringComparer.Ordinal).Chunk(Chunk))
        {
            foreach (var found in await db.Contacts.Where(c => numbers.Contains(c.Phone!)).ToListAsync(ct))
            {
                Remember(found);
            }

            _absentPhones.UnionWith(numbers.Where(p => !_byPhone.ContainsKey(p)));
        }
    }

    /// <summary>Forgets what this scope has seen, after the caller cleared the change tracker.</summary>
    public void Forget()
    {
        _byEmailKey.Clear();
        _byPhone.Clear();
        _absentEmailKeys.Clear();
        _absentPhones.Clear();
    }

    private void Remember(Contact contact)
    {
        if (contact.EmailKey is { } key)
        {
            _byEmailKey[key] = contact;
            _absentEmailKeys.Remove(key);
        }

        if (contact.Phone is { } phone)
        {
            _byPhone[phone] = contact;
            _absentPhones.Remove(phone);
        }
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
    public async Task<Contact?> FindByEmailKeyAsync(string emailKey, CancellationToken ct)
    {
        if (_byEmailKey.TryGetValue(emailKey, out var known) && known.EmailKey == emailKey)
        {
            return known;
        }

        if (_absentEmailKeys.Contains(emailKey))
        {
            return null;
        }

        var found = db.Contacts.Local.FirstOrDefault(c => c.EmailKey == emailKey && c.WorkspaceId == db.Workspace.WorkspaceId)
                    ?? await db.Contacts.FirstOrDefaultAsync(c => c.EmailKey == emailKey, ct);
        if (found is not null)
        {
            Remember(found);
        }

        return found;
    }

    /// <summary>The workspace's contact with this normalised phone number, pending additions included.</summary>
    public async Task<Contact?> FindByPhoneAsync(string phone, CancellationToken ct)
    {
        if (_byPhone.TryGetValue(phone, out var known) && known.Phone == phone)
        {
            return known;
        }

        if (_absentPhones.Contains(phone))
        {
            return null;
        }

        var found = db.Contacts.Local.FirstOrDefault(c => c.Phone == phone && c.WorkspaceId == db.Workspace.WorkspaceId)
                    ?? await db.Contacts.FirstOrDefaultAsync(c => c.Phone == phone, ct);
        if (found is not null)
        {
            Remember(found);
        }

        return found;
    }

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
