using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Promoter.Accounts;
using Promoter.Data;
using Promoter.Loop;
using Promoter.Platform;
using Promoter.Platform.Csv;

namespace Promoter.Churn.Pages;

/// <summary>
/// Who is about to leave: contacts by churn risk, with the reasons in plain words, the recommended action and one click
/// to open a case; filters (minimum score, category, account, owner, a contact property) and the sort live in the URL;
/// the same list as CSV. Agents see the contacts of their own and unassigned cases.
/// </summary>
[Authorize]
public sealed class AtRiskModel(AtRiskQueries queries, AtRiskCases cases, ChurnModelFitter models, PromoterDb db) : PageModel
{
    public const int Shown = 200;

    public IReadOnlyList<AtRiskContactDto> Rows { get; private set; } = [];
    public IReadOnlyDictionary<Guid, string> Owners { get; private set; } = new Dictionary<Guid, string>();
    public ChurnModelDto Card { get; private set; } = ChurnModelDto.NotFitted(0);
    public bool CanOpenCases => User.HasScope(Scopes.CasesWrite);

    [BindProperty(SupportsGet = true)]
    public int? Min { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Category { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Account { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Owner { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Property { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Sort { get; set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!User.HasScope(Scopes.ContactsRead))
        {
            return Forbid();
        }

        Card = await models.CurrentAsync(ct);
        Owners = (await LoopMembers.ListAsync(db, ct)).ToDictionary(m => m.UserId, m => m.Label);
        if (Filter() is { } filter)
        {
            Rows = await queries.TopAsync(User, filter, Sort, Shown, ct);
        }
        else
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
        }

        return Page();
    }

    public async Task<IActionResult> OnGetCsvAsync(CancellationToken ct)
    {
        if (!User.HasScope(Scopes.ContactsRead))
        {
            return Forbid();
        }

        if (Filter() is not { } filter)
        {
            return BadRequest();
        }

        var owners = (await LoopMembers.ListAsync(db, ct)).ToDictionary(m => m.UserId, m => m.Email);
        var text = new StringWriter(CultureInfo.InvariantCulture);
        var csv = new CsvWriter(text);
        csv.WriteLine("contact_id", "email", "name", "account", "owner", "risk", "category", "model", "action", "reasons", "changed_at");
        await foreach (var row in queries.AllAsync(User, filter, Sort ?? "score").WithCancellation(ct))
        {
            csv.WriteLine(row.Id.ToString(), row.Email, row.Name, row.Account, row.OwnerUserId is { } o ? owners.GetValueOrDefault(o) : null,
                row.Risk.Score.ToString(CultureInfo.InvariantCulture), row.Risk.Category, row.Risk.Model, row.Risk.Action,
                string.Join("; ", row.Risk.Reasons.Select(r => r.Text)), row.Risk.ChangedAt.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
        }

        return File(new UTF8Encoding(true).GetPreamble().Concat(Encoding.UTF8.GetBytes(text.ToString())).ToArray(), "text/csv; charset=utf-8", "at-risk.csv");
    }

    public async Task<IActionResult> OnPostOpenCaseAsync(Guid contactId, CancellationToken ct)
    {
        if (!CanOpenCases || !User.HasScope(Scopes.ContactsRead))
        {
            return Forbid();
        }

        try
        {
            return Redirect($"/cases/{await cases.OpenAsync(contactId, CaseViewer.Of(User), ct)}");
        }
        catch (NotFoundException)
        {
            return NotFound();
        }
        catch (UnprocessableException e)
        {
            TempData["AtRiskMessage"] = e.Message;
            return Redirect("/at-risk");
        }
    }

    private AtRiskFilter? Filter()
    {
        var errors = new FieldErrors();
        var filter = AtRiskFilter.Parse(Request.Query, User.UserIdOf(), errors);
        if (errors.Any)
        {
            foreach (var (field, message) in errors.All)
            {
                ModelState.AddModelError(field, message);
            }

            return null;
        }

        return filter;
    }

    public string OwnerName(Guid? id) => id is { } owner ? Owners.GetValueOrDefault(owner, "former member") : "unassigned";

    public string CsvUrl => "/at-risk?handler=Csv" + (Request.QueryString.HasValue ? "&" + Request.QueryString.Value!.TrimStart('?') : "");

    public static string ActionText(string? action) => action switch
    {
        "call_within_24h" => "Call within 24 h",
        "apologise_and_fix" => "Apologise and fix",
        "offer" => "Make an offer",
        "check_in" => "Check in",
        _ => "–",
    };
}
