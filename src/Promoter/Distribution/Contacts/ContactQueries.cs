using Microsoft.EntityFrameworkCore;
using Promoter.Data;
using Promoter.Platform;

namespace Promoter.Distribution.Contacts;

public sealed record ContactPage(IReadOnlyList<Contact> Items, string? NextCursor);

/// <summary>Reading contacts by filter: the API's list, the dashboard's list and the recipients of a batch send.</summary>
public sealed class ContactQueries(PromoterDb db)
{
    public const int DefaultPage = 50;
    public const int MaxPage = 500;

    /// <summary>The filtered contacts of the current workspace, newest first (ids are time-ordered v7 GUIDs).</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Globalization", "CA1304", Justification = "Translated to SQL lower(); no .NET culture is involved.")]
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Globalization", "CA1311", Justification = "Translated to SQL lower(); no .NET culture is involved.")]
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1862", Justification = "StringComparison overloads do not translate to SQL.")]
    public IQueryable<Contact> Filtered(ContactFilter filter)
    {
        var query = db.Contacts.AsNoTracking();
        if (filter.Email is { } email)
        {
            query = query.Where(c => c.EmailKey != null && c.EmailKey.Contains(email));
        }

        if (filter.Name is { } name)
        {
            // lower() folds ASCII on SQLite and everything on PostgreSQL; names are matched as typed otherwise.
            var lowered = name.ToLowerInvariant();
            query = query.Where(c => c.Name != null && (c.Name.Contains(name) || c.Name.ToLower().Contains(lowered)));
        }

        if (filter.Locale is { } locale)
        {
            var prefix = locale + "-";
            query = query.Where(c => c.Locale == locale || (c.Locale != null && c.Locale.StartsWith(prefix)));
        }

        if (filter.PropertyNeedle is { } needle)
        {
            query = query.Where(c => c.Properties.Contains(needle));
        }

        if (filter.CreatedFrom is { } from)
        {
            query = query.Where(c => c.CreatedAt >= from);
        }

        if (filter.CreatedBefore is { } before)
        {
            query = query.Where(c => c.CreatedAt < before);
        }

        return query;
    }

    public async Task<ContactPage> PageAsync(ContactFilter filter, string? cursor, int? limit, CancellationToken ct)
    {
        var errors = new FieldErrors();
        Guid? after = null;
        if (cursor is not null)
        {
            after = PageCursor.Read('c', cursor);
            if (after is null)
            {
                errors.Add("cursor", "Use the nextCursor value of a previous page.");
            }
        }

        if (limit is < 1 or > MaxPage)
        {
            errors.Add("limit", $"Use 1 to {MaxPage}.");
        }

        errors.ThrowIfAny();
        var take = limit ?? DefaultPage;
        var query = Filtered(filter);
        if (after is { } last)
        {
            query = query.Where(c => c.Id < last);
        }

        var rows = await query.OrderByDescending(c => c.Id).Take(take + 1).ToListAsync(ct);
        var page = rows.Take(take).ToList();
        return new ContactPage(page, rows.Count > take ? PageCursor.Write('c', page[^1].Id) : null);
    }

    public Task<int> CountAsync(ContactFilter filter, CancellationToken ct) => Filtered(filter).CountAsync(ct);

    public async Task<Contact> GetAsync(Guid id, CancellationToken ct) =>
        await db.Contacts.AsNoTracking().SingleOrDefaultAsync(c => c.Id == id, ct) ?? throw new NotFoundException("contact");
}
