using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Promoter.Accounts;
using Promoter.Collect;
using Promoter.Data;

namespace Promoter.Surveys.Pages;

[Authorize]
public sealed class IndexModel(PromoterDb db) : PageModel
{
    public sealed record Row(Guid Id, string Name, string BrandName, SurveyKind Kind, IReadOnlyList<string> Languages, long Responses, bool Closed);

    public IReadOnlyList<Row> Surveys { get; private set; } = [];
    public bool CanEdit => User.HasScope(Scopes.SurveysWrite);

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!User.HasScope(Scopes.SurveysRead))
        {
            return Forbid();
        }

        var counts = await db.Responses.Where(r => r.Status == ResponseStatus.Final).GroupBy(r => r.SurveyId)
            .Select(g => new { g.Key, Count = g.LongCount() }).ToDictionaryAsync(x => x.Key, x => x.Count, ct);
        Surveys = (await db.Surveys.AsNoTracking().OrderBy(s => s.Name).ToListAsync(ct))
            .Select(s => new Row(s.Id, s.Name, s.BrandName, s.Kind, s.LanguageList, counts.GetValueOrDefault(s.Id), s.IsClosed)).ToList();
        return Page();
    }
}
