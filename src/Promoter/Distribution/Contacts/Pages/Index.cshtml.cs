using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Promoter.Accounts;
using Promoter.Platform;

namespace Promoter.Distribution.Contacts.Pages;

/// <summary>The workspace's contacts, filtered by what the URL says, a page at a time.</summary>
[Authorize]
public sealed class IndexModel(ContactQueries queries) : PageModel
{
    public const int PageSize = 50;

    [BindProperty(SupportsGet = true)] public string? Email { get; set; }
    [BindProperty(SupportsGet = true)] public string? Name { get; set; }
    [BindProperty(SupportsGet = true)] public string? Locale { get; set; }
    [BindProperty(SupportsGet = true)] public string? Property { get; set; }
    [BindProperty(SupportsGet = true)] public string? CreatedFrom { get; set; }
    [BindProperty(SupportsGet = true)] public string? CreatedTo { get; set; }
    [BindProperty(SupportsGet = true)] public string? Cursor { get; set; }

    public ContactFilter Filter { get; private set; } = ContactFilter.None;
    public IReadOnlyList<Contact> Contacts { get; private set; } = [];
    public int Matching { get; private set; }
    public string? NextCursor { get; private set; }
    public bool CanEdit => User.HasScope(Scopes.ContactsWrite);
    public bool CanSend => User.HasScope(Scopes.DistributionWrite);

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!User.HasScope(Scopes.ContactsRead))
        {
            return Forbid();
        }

        var errors = new FieldErrors();
        Filter = ContactFilter.Parse(Email, Name, Locale, Property, CreatedFrom, CreatedTo, errors);
        if (errors.Any)
        {
            foreach (var (field, message) in errors.All)
            {
                ModelState.AddModelError(field, message);
            }

            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        try
        {
            var page = await queries.PageAsync(Filter, Cursor, PageSize, ct);
            (Contacts, NextCursor) = (page.Items, page.NextCursor);
        }
        catch (RequestValidationException)
        {
            ModelState.AddModelError("cursor", "That page link is no longer valid; start from the first page.");
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        Matching = await queries.CountAsync(Filter, ct);
        return Page();
    }

    /// <summary>This list's URL with the same filters, on another page.</summary>
    public string PageUrl(string? cursor)
    {
        var query = Filter.ToString();
        var parts = new List<string>();
        if (query.Length > 0)
        {
            parts.Add(query);
        }

        if (cursor is not null)
        {
            parts.Add("cursor=" + Uri.EscapeDataString(cursor));
        }

        return "/contacts" + (parts.Count == 0 ? "" : "?" + string.Join('&', parts));
    }
}
