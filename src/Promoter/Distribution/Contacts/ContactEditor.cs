using Microsoft.EntityFrameworkCore;
using Promoter.Accounts;
using Promoter.Data;
using Promoter.Platform;

namespace Promoter.Distribution.Contacts;

/// <summary>Saving single contacts for the API and the dashboard: upsert, replace, delete, with unique-key races answered as 409.</summary>
public sealed class ContactEditor(PromoterDb db, ContactDirectory directory, AuditLog audit, TimeProvider clock)
{
    public sealed record Saved(Contact Contact, bool Created);

    /// <summary>Creates the contact or merges into the one with that email (else phone), then saves.</summary>
    public async Task<Saved> UpsertAsync(ContactInput input, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var valid = ContactFields.Validate(input, errors);
        errors.ThrowIfAny();
        for (var attempt = 1; ; attempt++)
        {
            var contact = await directory.UpsertAsync(valid, ct);
            var created = db.Entry(contact).State == EntityState.Added;
            try
            {
                await db.SaveChangesAsync(ct);
                return new Saved(contact, created);
            }
            catch (DbUpdateException) when (attempt == 1)
            {
                // Another request created the same person between our look-up and our insert: merge into theirs.
                db.ChangeTracker.Clear();
                directory.Forget();
            }
        }
    }

    /// <summary>Stores exactly the given fields on an existing contact (PUT): omitted fields and properties are cleared.</summary>
    public async Task<Contact> ReplaceAsync(Guid id, ContactInput input, CancellationToken ct)
    {
        var contact = await FindAsync(id, ct);
        var errors = new FieldErrors();
        var valid = ContactFields.Validate(input, errors);
        errors.ThrowIfAny();
        await EnsureFreeAsync(contact.Id, valid, ct);
        directory.Apply(contact, valid, replace: true, Now());
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            db.ChangeTracker.Clear();
            await EnsureFreeAsync(contact.Id, valid, ct);
            throw;
        }

        return contact;
    }

    /// <summary>Deletes the contact with its invitations; its responses stay, no longer linked to a person.</summary>
    public async Task DeleteAsync(Guid id, CancellationToken ct)
    {
        var contact = await FindAsync(id, ct);
        db.Contacts.Remove(contact);
        audit.Record("contact.deleted", $"contact:{contact.Id}");
        await db.SaveChangesAsync(ct);
    }

    public async Task<Contact> FindAsync(Guid id, CancellationToken ct) =>
        await db.Contacts.SingleOrDefaultAsync(c => c.Id == id, ct) ?? throw new NotFoundException("contact");

    private async Task EnsureFreeAsync(Guid id, ValidContact valid, CancellationToken ct)
    {
        if (valid.EmailKey is { } key && await db.Contacts.AnyAsync(c => c.EmailKey == key && c.Id != id, ct))
        {
            throw ContactDirectory.EmailTaken();
        }

        if (valid.Phone is { } phone && await db.Contacts.AnyAsync(c => c.Phone == phone && c.Id != id, ct))
        {
            throw ContactDirectory.PhoneTaken();
        }
    }

    private DateTime Now()
    {
        var utc = clock.GetUtcNow().UtcDateTime;
        return utc.AddTicks(-(utc.Ticks % 10));
    }
}
