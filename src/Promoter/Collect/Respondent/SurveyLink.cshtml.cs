using Microsoft.AspNetCore.Mvc;

namespace Promoter.Collect.Respondent;

/// <summary><c>/s/{surveyId}</c>: the anonymous link, also in kiosk (<c>?kiosk=1</c>) and embed (<c>?embed=1</c>) mode.</summary>
public sealed class SurveyLinkModel(RespondentTargets targets, RespondentFlow flow) : RespondentPage
{
    public async Task<IActionResult> OnGetAsync() =>
        Render(await flow.ShowAsync(HttpContext, await FindAsync(), Link(), null, HttpContext.RequestAborted));

    public async Task<IActionResult> OnPostAsync() =>
        Render(await flow.PostAsync(HttpContext, await FindAsync(), Link(), HttpContext.RequestAborted));

    private Guid SurveyId => Guid.TryParse(RouteData.Values["surveyId"]?.ToString(), out var id) ? id : Guid.Empty;

    private Task<RespondentTarget?> FindAsync() => targets.SurveyAsync(SurveyId, HttpContext.RequestAborted);

    private RespondentLink Link() => new($"/s/{SurveyId}", Query("lang"), IsOn(Query("kiosk")), IsOn(Query("embed")))
    {
        Widget = IsOn(Query("embed")) ? Query("w") : null,
    };
}
