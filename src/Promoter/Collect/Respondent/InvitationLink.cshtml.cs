using Microsoft.AspNetCore.Mvc;

namespace Promoter.Collect.Respondent;

/// <summary>
/// <c>/r/{token}</c>: the personal link from an invitation. <c>?score=N</c> (the buttons in the email) preselects a
/// score and records a link hit, never a response.
/// </summary>
public sealed class InvitationLinkModel(RespondentTargets targets, RespondentFlow flow) : RespondentPage
{
    public async Task<IActionResult> OnGetAsync() =>
        Render(await flow.ShowAsync(HttpContext, await FindAsync(), Link(), Query("score"), HttpContext.RequestAborted));

    public async Task<IActionResult> OnPostAsync() =>
        Render(await flow.PostAsync(HttpContext, await FindAsync(), Link(), HttpContext.RequestAborted));

    private string Token => RouteData.Values["token"]?.ToString() ?? "";

    private Task<RespondentTarget?> FindAsync() => targets.InvitationAsync(Token, HttpContext.RequestAborted);

    // Kiosk mode is for anonymous links on shared devices; a personal link ignores it.
    private RespondentLink Link() => new($"/r/{Token}", Query("lang"), Kiosk: false, IsOn(Query("embed")));
}
