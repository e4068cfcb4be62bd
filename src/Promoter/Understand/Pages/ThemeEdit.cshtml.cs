using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Promoter.Accounts;
using Promoter.Data;
using Promoter.Platform;

namespace Promoter.Understand.Pages;

/// <summary>Editing one theme (roles that edit surveys): its name and words per language, or deleting it.</summary>
[Authorize]
public sealed class ThemeEditModel(PromoterDb db, ThemeEditor editor) : PageModel
{
    [BindProperty]
    public ThemeForm Form { get; set; } = new();

    [FromRoute]
    public Guid Id { get; set; }

    public string Title { get; private set; } = "";
    public string? Message { get; private set; }
    public IndexingProgress Progress { get; private set; } = new(null, 0);

    public async Task<IActionResult> OnGetAsync(bool created, bool saved, CancellationToken ct)
    {
        if (!User.HasScope(Scopes.SurveysWrite))
        {
            return Forbid();
        }

        if (!await LoadAsync(resetForm: true, ct))
        {
            return NotFound();
        }

        Message = created ? "Theme created. Past responses are being tagged with it." : saved ? "Saved. Past responses are being tagged again." : null;
        return Page();
    }

    public async Task<IActionResult> OnPostSaveAsync(CancellationToken ct)
    {
        if (!User.HasScope(Scopes.SurveysWrite))
        {
            return Forbid();
        }

        try
        {
            await editor.UpdateAsync(Id, Form.ToInput(), ct);
            return Redirect($"/themes/{Id}?saved=true");
        }
        catch (NotFoundException)
        {
            return NotFound();
        }
        catch (RequestValidationException e)
        {
            ThemeForm.AddErrors(ModelState, e);
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return await LoadAsync(resetForm: false, ct) ? Page() : NotFound();
        }
    }

    public async Task<IActionResult> OnPostDeleteAsync(CancellationToken ct)
    {
        if (!User.HasScope(Scopes.SurveysWrite))
        {
            return Forbid();
        }

        try
        {
            await editor.DeleteAsync(Id, ct);
        }
        catch (NotFoundException)
        {
            return NotFound();
        }

        return Redirect("/themes");
    }

    private async Task<bool> LoadAsync(bool resetForm, CancellationToken ct)
    {
        var theme = await db.Themes.AsNoTracking().Include(t => t.Terms).FirstOrDefaultAsync(t => t.Id == Id, ct);
        if (theme is null)
        {
            return false;
        }

        Title = theme.Name;
        if (resetForm)
        {
            Form = ThemeForm.From(UnderstandApi.Dto(theme));
        }

        Progress = await UnderstandApi.ProgressAsync(db, ct);
        return true;
    }
}
