using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.EntityFrameworkCore;
using Promoter.Data;

namespace Promoter.Accounts.Pages;

[EnableRateLimiting(AccountsRegistration.LoginRateLimit)]
public sealed class LoginModel(PromoterDb db, PasswordSignIn signIn) : PageModel
{
    [BindProperty]
    public string? Email { get; set; }

    [BindProperty]
    public string? Password { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public string? Message { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct) =>
        await db.Users.AnyAsync(ct) ? Page() : Redirect("/setup");

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var outcome = await signIn.PasswordAsync(HttpContext, Email, Password, null, ct);
        switch (outcome)
        {
            case PasswordSignIn.Outcome.Success:
                return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/");
            case PasswordSignIn.Outcome.LockedOut:
                Message = "Too many failed attempts. Try again in 15 minutes.";
                break;
            case PasswordSignIn.Outcome.NoWorkspace:
                Message = "Your account is not a member of any workspace. Ask an admin to add you.";
                break;
            default:
                Message = "That email and password do not match.";
                break;
        }

        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }
}
