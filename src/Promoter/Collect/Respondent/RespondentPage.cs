using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Promoter.Collect.Respondent;

/// <summary>
/// What the two respondent pages share. No antiforgery token: a respondent holds no credential a forged post could
/// borrow (no cookie), and the signed ticket in the form already ties each post to a rendered page. Without a cookie
/// the page also works inside a third-party iframe, where browsers withhold cookies.
/// </summary>
[AllowAnonymous]
[IgnoreAntiforgeryToken]
[RequestSizeLimit(MaxBodyBytes)]
[RespondentEndpoint]
public abstract class RespondentPage : PageModel
{
    public const int MaxBodyBytes = 64 * 1024;

    public SurveyView View { get; private set; } = null!;

    /// <summary>HEAD probes (mail scanners send many) get an empty 200 and touch nothing, not even a link hit.</summary>
    public IActionResult OnHead() => new EmptyResult();

    protected IActionResult Render(RespondentOutcome outcome)
    {
        if (outcome.Quiet)
        {
            return StatusCode(outcome.StatusCode == StatusCodes.Status200OK ? StatusCodes.Status204NoContent : outcome.StatusCode);
        }

        View = outcome.View;
        Response.StatusCode = outcome.StatusCode;
        return Page();
    }

    protected static bool IsOn(string? flag) => flag == "1";

    /// <summary>A query parameter given once; repeated or absent is null.</summary>
    protected string? Query(string name) => Request.Query[name] is { Count: 1 } values ? values[0] : null;
}
