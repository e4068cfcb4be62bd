using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Promoter.Data;
using Promoter.Platform;

namespace Promoter.Accounts.Pages;

[Authorize]
public sealed class ApiKeysModel(PromoterDb db, ApiKeys apiKeys) : PageModel
{
    public IReadOnlyList<ApiKey> Keys { get; private set; } = [];
    public string? NewKey { get; private set; }
    public bool CanEdit => User.HasScope(Scopes.ApiKeysWrite);

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!User.HasScope(Scopes.ApiKeysRead))
        {
            return Forbid();
        }

        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostCreateAsync(string? name, string[]? scopes, CancellationToken ct)
    {
        if (!CanEdit)
        {
            return Forbid();
        }

        try
        {
            NewKey = (await apiKeys.CreateAsync(name, scopes ?? [], User.UserIdOf(), null, ct)).PlainText;
            Response.Headers.CacheControl = "no-store";
        }
        catch (RequestValidationException e)
        {
            ModelState.AddDomainErrors(e);
        }

        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostRevokeAsync(Guid id, CancellationToken ct)
    {
        if (!CanEdit)
        {
            return Forbid();
        }

        try
        {
            await apiKeys.RevokeAsync(id, ct);
        }
        catch (NotFoundException)
        {
            return NotFound();
        }

        return RedirectToPage();
    }

    private async Task LoadAsync(CancellationToken ct) => Keys = await db.ApiKeys.OrderByDescending(k => k.CreatedAt).ToListAsync(ct);
}
