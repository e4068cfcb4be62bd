using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Promoter.Accounts;
using Promoter.Data;
using Promoter.Localization;
using Promoter.Platform;

namespace Promoter.Surveys.Pages;

[Authorize]
public sealed class EditModel(PromoterDb db, SurveyEditor editor, LocaleCatalog catalog, AuditLog audit) : PageModel
{
    [BindProperty]
    public SurveyForm Form { get; set; } = new();

    [FromRoute]
    public Guid? Id { get; set; }

    public bool IsNew => Id is null;
    public IReadOnlyList<Locale> Locales => [.. catalog.All.OrderBy(l => l.Code == LocaleCatalog.Fallback ? "" : l.Name, StringComparer.Ordinal)];

    public string LocaleName(string code) => catalog.Get(code).Name;

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!User.HasScope(Scopes.SurveysWrite))
        {
            return Forbid();
        }

        if (Id is { } id)
        {
            var survey = await db.Surveys.AsNoTracking().SingleOrDefaultAsync(s => s.Id == id, ct);
            if (survey is null)
            {
                return NotFound();
            }

            Form = SurveyForm.From(survey);
        }

        Form.WithEmptySlots();
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!User.HasScope(Scopes.SurveysWrite))
        {
            return Forbid();
        }

        Survey? survey = null;
        if (Id is { } id && (survey = await db.Surveys.SingleOrDefaultAsync(s => s.Id == id, ct)) is null)
        {
            return NotFound();
        }

        try
        {
            if (survey is null)
            {
                survey = editor.Create(Form.ToInput());
                db.Surveys.Add(survey);
                audit.Record("survey.created", $"survey:{survey.Id}", survey.Name);
            }
            else
            {
                editor.Apply(survey, Form.ToInput());
                audit.Record("survey.updated", $"survey:{survey.Id}", survey.Name);
            }

            await db.SaveChangesAsync(ct);
            return Redirect($"/surveys/{survey.Id}");
        }
        catch (RequestValidationException e)
        {
            foreach (var (field, messages) in e.Errors)
            {
                foreach (var message in messages)
                {
                    ModelState.AddModelError(FormKey(field), $"{Describe(field)}: {message}");
                }
            }

            if (Form.Questions.Count(q => q.IsEmpty) < 2)
            {
                Form.WithEmptySlots(1);
            }

            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
    }

    // "questions[0].label" → "Form.Questions[0].Label", so messages sit next to their inputs where one exists.
    private static string FormKey(string field) =>
        "Form." + string.Join('.', field.Split('.').Select(s => s.Length == 0 ? s : char.ToUpper(s[0], CultureInfo.InvariantCulture) + s[1..]));

    private static string Describe(string field) => field.Replace('.', ' ').Replace("[", " ", StringComparison.Ordinal).Replace("]", "", StringComparison.Ordinal);
}
