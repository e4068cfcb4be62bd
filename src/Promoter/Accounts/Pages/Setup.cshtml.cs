using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Promoter.Data;
using Promoter.Platform;

namespace Promoter.Accounts.Pages;

/// <summary>First run: open only while no user exists, then it creates the first workspace and its owner.</summary>
public sealed class SetupModel(PromoterDb db, WorkspaceAdmin admin, PasswordSignIn signIn) : PageModel
{
    [BindProperty]
    public SetupInput Input { get; set; } = new();

    public sealed class SetupInput
    {
        public string? WorkspaceName { get; set; }
        public string? DisplayName { get; set; }
        public string? Email { get; set; }
        public string? Password { get; set; }
    }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct) =>
        await db.Users.AnyAsync(ct) ? Redirect("/login") : Page();

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (await db.Users.AnyAsync(ct))
        {
            return Redirect("/login");
        }

        try
        {
            await admin.CreateAsync(Input.WorkspaceName, Input.Email, Input.Password, Input.DisplayName, ct);
        }
        catch (RequestValidationException e)
        {
            ModelState.AddDomainErrors(e, new Dictionary<string, string>
            {
                ["name"] = "Input.WorkspaceName",
                ["ownerEmail"] = "Input.Email",
                ["ownerPassword"] = "Input.Password",
            });
            return Page();
        }

        await signIn.PasswordAsync(HttpContext, Input.Email, Input.Password, null, ct);
        return Redirect("/");
    }
}
