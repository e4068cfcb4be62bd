using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Promoter.Accounts;
using Promoter.Data;

namespace Promoter.Home;

[AllowAnonymous]
public sealed class IndexModel(PromoterDb db) : PageModel
{
    public string WorkspaceName { get; private set; } = "";
    public string Role { get; private set; } = "";
    public string RoleHelp { get; private set; } = "";

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (User.Identity?.IsAuthenticated != true)
        {
            return await db.Users.AnyAsync(ct) ? Redirect("/login") : Redirect("/setup");
        }

        var workspaceId = db.Workspace.RequiredWorkspaceId;
        WorkspaceName = await db.Workspaces.Where(w => w.Id == workspaceId).Select(w => w.Name).SingleAsync(ct);
        var role = User.RoleOf() ?? Accounts.Role.Viewer;
        Role = role.ToWireName();
        RoleHelp = role switch
        {
            Accounts.Role.Owner or Accounts.Role.Admin => "You can manage members, API keys and every survey.",
            Accounts.Role.Manager => "You can design surveys, send them and manage contacts.",
            Accounts.Role.Agent => "You follow up with respondents on your cases.",
            _ => "You can see every report; nothing you do here changes data.",
        };
        return Page();
    }
}
