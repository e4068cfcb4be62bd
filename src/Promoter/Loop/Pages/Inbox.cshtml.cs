using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Promoter.Accounts;
using Promoter.Data;
using Promoter.Platform;

namespace Promoter.Loop.Pages;

/// <summary>
/// An agent's inbox: open cases, most urgent first, overdue ones marked, a page at a time with how many match;
/// filters by owner, status and category, all in the URL.
/// </summary>
[Authorize]
public sealed class InboxModel(CaseService cases, PromoterDb db, TimeProvider clock) : PageModel
{
    public const int PageSize = 50;

    public IReadOnlyList<CaseDto> Cases { get; private set; } = [];
    public int Total { get; private set; }
    public string? NextCursor { get; private set; }
    public IReadOnlyDictionary<Guid, string> Owners { get; private set; } = new Dictionary<Guid, string>();
    public DateTime Now { get; private set; }

    [BindProperty(SupportsGet = true)]
    public string? Owner { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Status { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Category { get; set; }

    [BindProperty(SupportsGet = true)]
    public bool Overdue { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Cursor { get; set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!User.HasScope(Scopes.CasesRead))
        {
            return Forbid();
        }

        Owner ??= User.RoleOf() is Role.Agent ? "me" : "any";
        Now = clock.GetUtcNow().UtcDateTime;
        try
        {
            var page = await cases.PageAsync(new CaseQuery(Status, Owner, Category, Overdue, null, PageSize), Cursor, CaseViewer.Of(User), ct);
            (Cases, NextCursor, Total) = (page.Items, page.NextCursor, page.Total);
        }
        catch (RequestValidationException e)
        {
            foreach (var (field, messages) in e.Errors)
            {
                ModelState.AddModelError(field, field == "cursor" ? "That page link is no longer valid; start from the first page." : string.Join(" ", messages));
            }

            Response.StatusCode = StatusCodes.Status400BadRequest;
        }

        Owners = (await LoopMembers.ListAsync(db, ct)).ToDictionary(m => m.UserId, m => m.Label);
        return Page();
    }

    /// <summary>This inbox's URL with the same filters, on another page (null: the first).</summary>
    public string PageUrl(string? cursor)
    {
        var parts = new List<string> { "owner=" + Uri.EscapeDataString(Owner ?? "any") };
        if (!string.IsNullOrEmpty(Status))
        {
            parts.Add("status=" + Uri.EscapeDataString(Status));
        }

        if (!string.IsNullOrEmpty(Category))
        {
            parts.Add("category=" + Uri.EscapeDataString(Category));
        }

        if (Overdue)
        {
            parts.Add("overdue=true");
        }

        if (cursor is not null)
        {
            parts.Add("cursor=" + Uri.EscapeDataString(cursor));
        }

        return "/cases?" + string.Join('&', parts);
    }

    public string OwnerName(Guid? id) => id is { } owner ? Owners.GetValueOrDefault(owner, "former member") : "unassigned";
}
