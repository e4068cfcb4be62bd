using System.Text.Encodings.Web;
using System.Text.RegularExpressions;
using System.Text.Unicode;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Html;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Promoter.Accounts;
using Promoter.Collect.Respondent;
using Promoter.Data;
using Promoter.Localization;

namespace Promoter.Distribution.Unsubscribes;

/// <summary>
/// <c>/u/{token}</c>, the link in every survey mail and its <c>List-Unsubscribe</c> header. A GET only asks (mail
/// scanners and header prefetchers open links); the page's button and a mail provider's RFC 8058 one-click POST
/// (<c>List-Unsubscribe=One-Click</c>) unsubscribe at once, idempotently. Works without script; no cookie, so no
/// antiforgery token: the unguessable token is the only credential, as with the survey link.
/// </summary>
[AllowAnonymous]
[IgnoreAntiforgeryToken]
[RequestSizeLimit(8 * 1024)]
[RespondentEndpoint]
public sealed class UnsubscribeModel(PromoterDb db, Unsubscriber unsubscriber, LocaleCatalog catalog, LanguageChooser chooser) : PageModel
{
    /// <summary>The hidden field our own form sends, to tell the button from a mail provider's one-click POST.</summary>
    public const string ViaPageField = "via";

    public enum PageState
    {
        Confirm,
        Done,
        Invalid,
    }

    public PageState State { get; private set; }
    public Locale Locale { get; private set; } = null!;
    public string Brand { get; private set; } = "";
    public string Email { get; private set; } = "";
    public string Nonce { get; } = SurveyViews.NewNonce();
    public string Action => $"/u/{Token}";

    private string Token => RouteData.Values["token"]?.ToString() ?? "";

    public IActionResult OnHead() => new EmptyResult();

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        var found = await FindAsync(ct);
        if (found is null)
        {
            return Invalid();
        }

        State = PageState.Confirm;
        return Render(StatusCodes.Status200OK);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var found = await FindAsync(ct);
        if (found is null)
        {
            return Invalid();
        }

        var viaPage = Request.HasFormContentType && (await Request.ReadFormAsync(ct))[ViaPageField] == "page";
        await unsubscriber.UnsubscribeAsync(found.Value.EmailKey, viaPage ? "link" : "one-click", ct);
        State = PageState.Done;
        return Render(StatusCodes.Status200OK);
    }

    private async Task<(string EmailKey, Guid SurveyId)?> FindAsync(CancellationToken ct)
    {
        var token = Token;
        if (!RespondentTargets.IsTokenShaped(token))
        {
            return null;
        }

        var workspaceId = await CrossWorkspaceQueries.InvitationByUnsubscribeToken(db, token).Select(i => (Guid?)i.WorkspaceId).SingleOrDefaultAsync(ct);
        if (workspaceId is null)
        {
            return null;
        }

        db.Workspace.Enter(workspaceId.Value);
        var row = await (from i in db.Invitations.AsNoTracking()
                         where i.UnsubscribeToken == token
                         join s in db.Surveys.AsNoTracking() on i.SurveyId equals s.Id
                         join c in db.Contacts.AsNoTracking() on i.ContactId equals c.Id
                         select new { i.Id, i.Language, s.BrandName, s.DefaultLanguage, c.Email, i.SurveyId }).SingleOrDefaultAsync(ct);
        if (row is null)
        {
            return null;
        }

        // The address the mail went to, which may differ from the contact's address today.
        var address = await db.OutboundEmails.AsNoTracking().Where(e => e.RelatedId == row.Id && e.Kind == Platform.Email.EmailKinds.Invitation)
            .Select(e => e.ToAddress).FirstOrDefaultAsync(ct);
        if ((address ?? row.Email) is not { } email)
        {
            return null;
        }

        Locale = catalog.Get(catalog.Match(row.Language) ?? catalog.Match(row.DefaultLanguage) ?? LocaleCatalog.Fallback);
        Brand = row.BrandName;
        Email = email;
        return (Platform.EmailAddresses.Key(email), row.SurveyId);
    }

    /// <summary>A localized sentence, encoded, with the brand and the address isolated in &lt;bdi&gt; (they may run in the other direction).</summary>
    public IHtmlContent Sentence(string key)
    {
        var text = Locale.Text(key, ("brand", "\u0001"), ("email", "\u0002"));
        var html = new System.Text.StringBuilder();
        foreach (var part in Regex.Split(text, "([\u0001\u0002])"))
        {
            html.Append(part switch
            {
                "\u0001" => $"<bdi>{s_html.Encode(Brand)}</bdi>",
                "\u0002" => $"<bdi>{s_html.Encode(Email)}</bdi>",
                _ => s_html.Encode(part),
            });
        }

        return new HtmlString(html.ToString());
    }

    private static readonly HtmlEncoder s_html = HtmlEncoder.Create(UnicodeRanges.All);

    private PageResult Invalid()
    {
        Locale = chooser.Choose([.. catalog.All.Select(l => l.Code)], LocaleCatalog.Fallback, null, null, Request.Headers.AcceptLanguage.ToString());
        State = PageState.Invalid;
        return Render(StatusCodes.Status404NotFound);
    }

    private PageResult Render(int status)
    {
        Response.StatusCode = status;
        Response.Headers.ContentSecurityPolicy = $"default-src 'none'; style-src 'nonce-{Nonce}'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
        Response.Headers["Referrer-Policy"] = "no-referrer";
        Response.Headers["X-Robots-Tag"] = "noindex";
        Response.Headers.CacheControl = "no-store";
        return Page();
    }
}
