using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.EntityFrameworkCore;
using Promoter.Data;
using Promoter.Platform;

namespace Promoter.Accounts.Pages;

[EnableRateLimiting(AccountsRegistration.LoginRateLimit)]
[LoginRateLimitPage]
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
                Message = TryAgainText(signIn.RetryAfter);
                Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(signIn.RetryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
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

    /// <summary>What a locked-out person reads: how long to wait, and the way back for an owner.</summary>
    public static string TryAgainText(TimeSpan wait)
    {
        var minutes = Math.Max(1, (int)Math.Ceiling(wait.TotalMinutes));
        var when = wait.TotalSeconds < 90 ? $"{Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds))} seconds" : $"{minutes} minutes";
        return $"Too many failed sign-ins from your network. Try again in {when}. " +
               "Forgot the password? An administrator of the server can set a new one with 'promoter user reset-password --email …'.";
    }
}

/// <summary>The sign-in form over its per-network limit: the same page with the wait, not a JSON problem.</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class LoginRateLimitPageAttribute : Attribute, IRateLimitRejectionPage
{
    public async Task WriteAsync(HttpContext http, CancellationToken ct)
    {
        var seconds = int.TryParse(http.Response.Headers.RetryAfter.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var s) ? s : 60;
        var html = System.Text.Encodings.Web.HtmlEncoder.Default;
        http.Response.ContentType = "text/html; charset=utf-8";
        await http.Response.WriteAsync(
            "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">" +
            "<title>Sign in - Promoter</title><link rel=\"stylesheet\" href=\"/static/css/app.css\"></head><body><main>" +
            "<div class=\"card narrow\"><h1>Sign in</h1>" +
            $"<p class=\"error\" role=\"alert\">{html.Encode(LoginModel.TryAgainText(TimeSpan.FromSeconds(seconds)))}</p>" +
            "<p><a href=\"/login\">Back to sign in</a></p></div></main></body></html>", ct);
    }
}
