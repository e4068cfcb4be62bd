using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Promoter.Platform;

namespace Promoter.Loop.Pages;

/// <summary>
/// The respondent's page behind the reply link: the messages they were sent and a box to answer, in their language.
/// The token is the only key; an unknown one is a plain 404. Works without JavaScript.
/// </summary>
[AllowAnonymous]
public sealed class ReplyModel(RespondentThread thread) : PageModel
{
    public RespondentView View { get; private set; } = null!;
    public bool Sent { get; private set; }

    [BindProperty]
    public string? Message { get; set; }

    public async Task<IActionResult> OnGetAsync(string token, bool sent, CancellationToken ct)
    {
        if (await thread.OpenAsync(token, ct) is not { } view)
        {
            return NotFound();
        }

        NoIndex();
        (View, Sent) = (view, sent);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string token, CancellationToken ct)
    {
        if (await thread.OpenAsync(token, ct) is not { } view)
        {
            return NotFound();
        }

        NoIndex();
        View = view;
        try
        {
            await thread.AnswerAsync(view, Message, ct);
            return Redirect($"/reply/{Uri.EscapeDataString(token)}?sent=true");
        }
        catch (RequestValidationException e)
        {
            foreach (var (field, messages) in e.Errors)
            {
                ModelState.AddModelError(field, string.Join(" ", messages));
            }

            return Page();
        }
    }

    private void NoIndex()
    {
        // The URL is a secret: keep it out of search engines, caches and Referer headers.
        Response.Headers["X-Robots-Tag"] = "noindex, nofollow";
        Response.Headers.CacheControl = "no-store";
        Response.Headers["Referrer-Policy"] = "no-referrer";
    }

    public string Text(string key) => View.Locale.Text(key, ("brand", View.Brand), ("agent", View.Agent));
}
