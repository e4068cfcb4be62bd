using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Promoter.Accounts;
using Promoter.Data;
using Promoter.Platform;

namespace Promoter.Loop.Pages;

/// <summary>An agent's inbox: open cases, most urgent first, overdue ones marked; filters by owner, status and category.</summary>
[Authorize]
public sealed class InboxModel(CaseService cases, PromoterDb db, TimeProvider clock) : PageModel
{
    public IReadOnlyList<CaseDto> Cases { get; private set; } = [];
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
            Cases = await cases.ListAsync(new CaseQuery(Status, Owner, Category, Overdue, null, 200), CaseViewer.Of(User), ct);
        }
        catch (RequestValidationException e)
        {
            foreach (var (field, messages) in e.Errors)
            {
                ModelState.AddModelError(field, string.Join(" ", messages));
            }
        }

        Owners = (await LoopMembers.ListAsync(db, ct)).ToDictionary(m => m.UserId, m => m.Label);
        return Page();
    }

    public string OwnerName(Guid? id) => id is { } owner ? Owners.GetValueOrDefault(owner, "former member") : "unassigned";
}
