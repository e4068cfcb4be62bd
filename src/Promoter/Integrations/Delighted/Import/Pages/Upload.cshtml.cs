using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Promoter.Accounts;
using Promoter.Collect;
using Promoter.Data;
using Promoter.Platform;

namespace Promoter.Integrations.Delighted.Import.Pages;

/// <summary>
/// Upload a Delighted response export into a survey of the workspace. The same importer as the CLI: one transaction,
/// nothing stored when a row is bad (unless asked to skip them), responses already imported left as they are.
/// </summary>
[Authorize]
[RequestSizeLimit(MaxUploadBytes)]
[RequestFormLimits(MultipartBodyLengthLimit = MaxUploadBytes)]
public sealed class UploadModel(PromoterDb db, ResponseImporter importer) : PageModel
{
    /// <summary>Several million rows of a typical export; larger histories go through <c>promoter import delighted</c>.</summary>
    public const long MaxUploadBytes = 512L * 1024 * 1024;

    public sealed record SurveyChoice(Guid Id, string Name);

    public IReadOnlyList<SurveyChoice> Surveys { get; private set; } = [];
    public ImportResult? Result { get; private set; }
    public bool CanImport => User.HasScope(Scopes.ResponsesWrite);

    [BindProperty(SupportsGet = true)]
    public Guid? SurveyId { get; set; }

    [BindProperty]
    public IFormFile? Export { get; set; }

    [BindProperty]
    public bool SkipInvalid { get; set; }

    [BindProperty]
    public string? TimeZone { get; set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!User.HasScope(Scopes.SurveysRead))
        {
            return Forbid();
        }

        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!CanImport)
        {
            return Forbid();
        }

        await LoadAsync(ct);
        var zone = TimeZoneInfo.Utc;
        if (SurveyId is not { } surveyId || Surveys.All(s => s.Id != surveyId))
        {
            ModelState.AddModelError(nameof(SurveyId), "Choose a survey of this workspace.");
        }

        if (Export is not { Length: > 0 })
        {
            ModelState.AddModelError(nameof(Export), "Choose the CSV file Delighted exported.");
        }

        if (!string.IsNullOrWhiteSpace(TimeZone) && !TimeZoneInfo.TryFindSystemTimeZoneById(TimeZone.Trim(), out zone))
        {
            ModelState.AddModelError(nameof(TimeZone), "Use an IANA time zone such as Europe/Stockholm, or leave it empty for UTC.");
        }

        if (!ModelState.IsValid)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        try
        {
            await using var stream = Export!.OpenReadStream();
            Result = await importer.ImportAsync(stream, new ImportRequest
            {
                SurveyId = SurveyId!.Value,
                SkipInvalid = SkipInvalid,
                Format = new DelightedImportFormat(zone),
                Actor = User.ActorOf(),
                Source = "Delighted export " + Path.GetFileName(Export.FileName),
            }, ct);
            if (!Result.Committed)
            {
                Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            }
        }
        catch (DomainException e)
        {
            ModelState.AddModelError(nameof(Export), e.Message);
            Response.StatusCode = e.StatusCode;
        }

        return Page();
    }

    private async Task LoadAsync(CancellationToken ct) =>
        Surveys = await db.Surveys.AsNoTracking().OrderBy(s => s.Name).Select(s => new SurveyChoice(s.Id, s.Name)).ToListAsync(ct);
}
