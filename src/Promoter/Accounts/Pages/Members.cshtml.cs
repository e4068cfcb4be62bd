using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Promoter.Data;
using Promoter.Platform;

namespace Promoter.Accounts.Pages;

[Authorize]
public sealed class MembersModel(PromoterDb db, WorkspaceAdmin admin) : PageModel
{
    public sealed record Row(Guid Id, string Email, string DisplayName, string Role, DateTime CreatedAt);

    public IReadOnlyList<Row> Members { get; private set; } = [];
    public bool CanEdit => User.HasScope(Scopes.MembersWrite);
    public string? Message { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!User.HasScope(Scopes.MembersRead))
        {
            return Forbid();
        }

        await LoadAsync(ct);
        return Page();
    }

    public Task<IActionResult> OnPostAddAsync(string? email, string? displayName, string? password, string? role, CancellationToken ct) =>
        ChangeAsync(() => admin.AddMemberAsync(email, displayName, password, role, ActingRole, ct), $"Added {email}.", ct);

    public Task<IActionResult> OnPostRoleAsync(Guid id, string? role, CancellationToken ct) =>
        ChangeAsync(() => admin.ChangeRoleAsync(id, role, ActingRole, ct), "Role changed.", ct);

    public Task<IActionResult> OnPostRemoveAsync(Guid id, CancellationToken ct) =>
        ChangeAsync(() => admin.RemoveMemberAsync(id, ActingRole, ct), "Member removed.", ct);

    private Role ActingRole => User.RoleOf() ?? Role.Viewer;

    private async Task<IActionResult> ChangeAsync(Func<Task> change, string done, CancellationToken ct)
    {
        if (!CanEdit)
        {
            return Forbid();
        }

        try
        {
            await change();
            Message = done;
        }
        catch (RequestValidationException e)
        {
            ModelState.AddDomainErrors(e);
        }
        catch (DomainException e) when (e is not RequestValidationException)
        {
            ModelState.AddModelError("", e.Message);
        }

        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct) =>
        Members = (await db.Memberships.OrderBy(m => m.CreatedAt)
                .Select(m => new { m.Id, m.User!.Email, m.User.DisplayName, m.Role, m.CreatedAt }).ToListAsync(ct))
            .Select(m => new Row(m.Id, m.Email, m.DisplayName, m.Role.ToWireName(), m.CreatedAt)).ToList();
}
