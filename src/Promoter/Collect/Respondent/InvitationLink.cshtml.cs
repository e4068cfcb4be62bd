using Microsoft.AspNetCore.Mvc;

namespace Promoter.Collect.Respondent;

/// <summary>
/// <c>/r/{token}</c>: the personal link from an invitation. <c>?score=N</c> (the buttons in the email) preselects a
/// score and records a link hit, never a response.
/// </summary>
public sealed class InvitationLinkModel(RespondentTargets targets, RespondentFlow flow) : RespondentPage
{
    public async Task<IActionResult> OnGetAsync(string token, string? lang, string? score, string? embed, CancellationToken ct) =>
        Render(await flow.ShowAsync(HttpContext, await targets.InvitationAsync(token, ct), Link(token, lang, embed), score, ct));

    public async Task<IActionResult> OnPostAsync(string token, string? lang, string? embed, CancellationToken ct) =>
        Render(await flow.PostAsync(HttpContext, await targets.InvitationAsync(token, ct), Link(token, lang, embed), ct));

    // Kiosk mode is for anonymous links on shared devices; a personal link ignores it.
    private static RespondentLink Link(string token, string? lang, string? embed) => new($"/r/{token}", lang, Kiosk: false, IsOn(embed));
}
