using Microsoft.AspNetCore.Mvc;

namespace Promoter.Collect.Respondent;

/// <summary><c>/s/{surveyId}</c>: the anonymous link, also in kiosk (<c>?kiosk=1</c>) and embed (<c>?embed=1</c>) mode.</summary>
public sealed class SurveyLinkModel(RespondentTargets targets, RespondentFlow flow) : RespondentPage
{
    public async Task<IActionResult> OnGetAsync(Guid surveyId, string? lang, string? kiosk, string? embed, CancellationToken ct) =>
        Render(await flow.ShowAsync(HttpContext, await targets.SurveyAsync(surveyId, ct), Link(surveyId, lang, kiosk, embed), null, ct));

    public async Task<IActionResult> OnPostAsync(Guid surveyId, string? lang, string? kiosk, string? embed, CancellationToken ct) =>
        Render(await flow.PostAsync(HttpContext, await targets.SurveyAsync(surveyId, ct), Link(surveyId, lang, kiosk, embed), ct));

    private static RespondentLink Link(Guid surveyId, string? lang, string? kiosk, string? embed) =>
        new($"/s/{surveyId}", lang, IsOn(kiosk), IsOn(embed));
}
