using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Promoter.Accounts;
using Promoter.Data;
using Promoter.Platform;

namespace Promoter.Surveys.Pages;

[Authorize]
public sealed class DetailsModel(PromoterDb db, PublicUrls urls) : PageModel
{
    public Survey Survey { get; private set; } = null!;
    public SurveyDefinition Definition { get; private set; } = new();
    public string PublicUrl { get; private set; } = "";
    public string WidgetSnippet { get; private set; } = "";
    public IReadOnlyList<string> Origins => Definition.AllowedOrigins;
    public bool CanEdit => User.HasScope(Scopes.SurveysWrite);

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        if (!User.HasScope(Scopes.SurveysRead))
        {
            return Forbid();
        }

        var survey = await db.Surveys.AsNoTracking().SingleOrDefaultAsync(s => s.Id == id, ct);
        if (survey is null)
        {
            return NotFound();
        }

        Survey = survey;
        Definition = survey.ReadDefinition();
        PublicUrl = urls.Survey(survey.Id);
        WidgetSnippet = $"<script src=\"{urls.Base}/widget.js\" data-survey=\"{survey.Id}\" data-email=\"CUSTOMER_EMAIL\" async></script>";
        return Page();
    }
}
