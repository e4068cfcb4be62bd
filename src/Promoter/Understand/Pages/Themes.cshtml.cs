using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Promoter.Accounts;
using Promoter.Data;
using Promoter.Platform;

namespace Promoter.Understand.Pages;

/// <summary>
/// The themes: their words per language, the re-tagging progress, a link to the dashboard filtered by each, and (for
/// roles that edit surveys) a form to add one. The Why section's "Make a theme" posts here.
/// </summary>
[Authorize]
public sealed class ThemesModel(PromoterDb db, ThemeEditor editor) : PageModel
{
    [BindProperty]
    public ThemeForm Form { get; set; } = new();

    public IReadOnlyList<ThemeDto> Themes { get; private set; } = [];
    public IndexingProgress Progress { get; private set; } = new(null, 0);
    public bool CanEdit => User.HasScope(Scopes.SurveysWrite);

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!User.HasScope(Scopes.MetricsRead))
        {
            return Forbid();
        }

        await LoadAsync(ct);
        return Page();
    }

    public Task<IActionResult> OnPostCreateAsync(CancellationToken ct) => CreateAsync(Form, ct);

    /// <summary>One click from a term: a theme named after it with the term in its language, then its edit page.</summary>
    public Task<IActionResult> OnPostFromTermAsync(string? term, string? language, CancellationToken ct) => CreateAsync(ThemeForm.FromTerm(term, language), ct);

    private async Task<IActionResult> CreateAsync(ThemeForm form, CancellationToken ct)
    {
        if (!CanEdit)
        {
            return Forbid();
        }

        try
        {
            var theme = await editor.CreateAsync(form.ToInput(), ct);
            return Redirect($"/themes/{theme.Id}?created=true");
        }
        catch (RequestValidationException e)
        {
            Form = form;
            ThemeForm.AddErrors(ModelState, e);
            Response.StatusCode = StatusCodes.Status400BadRequest;
            await LoadAsync(ct);
            return Page();
        }
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        var themes = await db.Themes.AsNoTracking().Include(t => t.Terms).OrderBy(t => t.Name).ToListAsync(ct);
        Themes = themes.Select(UnderstandApi.Dto).ToList();
        Progress = await UnderstandApi.ProgressAsync(db, ct);
    }
}
