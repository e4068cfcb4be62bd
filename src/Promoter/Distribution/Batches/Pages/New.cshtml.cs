using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Promoter.Accounts;
using Promoter.Data;
using Promoter.Distribution.Contacts;
using Promoter.Platform;

namespace Promoter.Distribution.Batches.Pages;

/// <summary>Send a survey once to the contacts a filter selects (the contacts list links here with its filters).</summary>
[Authorize]
public sealed class NewModel(PromoterDb db, BatchSends batches, TimeProvider clock) : PageModel
{
    public sealed record SurveyChoice(Guid Id, string Name);

    [BindProperty(SupportsGet = true)] public string? Email { get; set; }
    [BindProperty(SupportsGet = true)] public string? Name { get; set; }
    [BindProperty(SupportsGet = true)] public string? Locale { get; set; }
    [BindProperty(SupportsGet = true)] public string? Property { get; set; }
    [BindProperty(SupportsGet = true)] public string? CreatedFrom { get; set; }
    [BindProperty(SupportsGet = true)] public string? CreatedTo { get; set; }
    [BindProperty] public Guid? SurveyId { get; set; }
    [BindProperty] public string? SendName { get; set; }

    public ContactFilter Filter { get; private set; } = ContactFilter.None;
    public int Recipients { get; private set; }
    public IReadOnlyList<SurveyChoice> Surveys { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!User.HasScope(Scopes.DistributionWrite))
        {
            return Forbid();
        }

        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!User.HasScope(Scopes.DistributionWrite))
        {
            return Forbid();
        }

        if (!await LoadAsync(ct))
        {
            return Page();
        }

        try
        {
            var job = await batches.StartAsync(SurveyId ?? Guid.Empty, SendName, Filter, ct);
            return Redirect($"/sends/batch/{job.Id}");
        }
        catch (RequestValidationException e)
        {
            foreach (var (field, message) in e.Errors.SelectMany(x => x.Value.Select(m => (x.Key, m))))
            {
                ModelState.AddModelError(field == "name" ? nameof(SendName) : field == "surveyId" ? nameof(SurveyId) : "", message);
            }
        }
        catch (DomainException e)
        {
            ModelState.AddModelError("", e.Message);
        }

        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }

    private async Task<bool> LoadAsync(CancellationToken ct)
    {
        Surveys = await db.Surveys.AsNoTracking().Where(s => !s.IsClosed).OrderBy(s => s.Name).Select(s => new SurveyChoice(s.Id, s.Name)).ToListAsync(ct);
        var errors = new FieldErrors();
        Filter = ContactFilter.Parse(Email, Name, Locale, Property, CreatedFrom, CreatedTo, errors);
        if (errors.Any)
        {
            foreach (var (field, message) in errors.All)
            {
                ModelState.AddModelError(field, message);
            }

            Response.StatusCode = StatusCodes.Status400BadRequest;
            return false;
        }

        Recipients = await batches.Recipients(Filter, clock.GetUtcNow().UtcDateTime).CountAsync(ct);
        return true;
    }
}
