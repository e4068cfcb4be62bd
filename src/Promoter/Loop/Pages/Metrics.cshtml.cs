using System.Text;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Promoter.Accounts;
using Promoter.Platform;

namespace Promoter.Loop.Pages;

/// <summary>How well the loop is closed, and the promoters to activate (with a CSV export).</summary>
[Authorize]
public sealed class MetricsModel(LoopMetrics metrics, PromoterActivation activation) : PageModel
{
    public LoopMetricsResult? Result { get; private set; }
    public PromoterList? Promoters { get; private set; }
    public bool CanSeePromoters => User.HasScope(Scopes.ResponsesRead);

    [BindProperty(SupportsGet = true)]
    public string? From { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? To { get; set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!User.HasScope(Scopes.MetricsRead))
        {
            return Forbid();
        }

        try
        {
            var window = LoopMetrics.ParseWindow(From, To, null);
            Result = await metrics.ComputeAsync(window, ct);
            if (CanSeePromoters)
            {
                Promoters = await activation.ListAsync(window, ct);
            }
        }
        catch (RequestValidationException e)
        {
            foreach (var (field, messages) in e.Errors)
            {
                ModelState.AddModelError(field, string.Join(" ", messages));
            }
        }

        return Page();
    }

    public async Task<IActionResult> OnGetPromotersCsvAsync(CancellationToken ct)
    {
        if (!User.HasScope(Scopes.ResponsesRead))
        {
            return Forbid();
        }

        var list = await activation.ListAsync(LoopMetrics.ParseWindow(From, To, null), ct);
        var writer = new StringWriter();
        PromoterActivation.WriteCsv(list, writer);
        return File(new UTF8Encoding(true).GetPreamble().Concat(Encoding.UTF8.GetBytes(writer.ToString())).ToArray(), "text/csv; charset=utf-8", "promoters.csv");
    }

    public static string Percent(double? share) => share is { } s ? (s * 100).ToString("0.#", System.Globalization.CultureInfo.InvariantCulture) + " %" : "–";

    public static string HoursText(double? hours) => hours is { } h ? h.ToString("0.#", System.Globalization.CultureInfo.InvariantCulture) + " h" : "–";
}
