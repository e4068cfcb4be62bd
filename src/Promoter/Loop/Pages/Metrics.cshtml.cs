using System.Text;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Promoter.Accounts;
using Promoter.Platform;
using Promoter.Platform.Email;

namespace Promoter.Loop.Pages;

/// <summary>How well the loop is closed, and the promoters to activate (with a CSV export).</summary>
[Authorize]
public sealed class MetricsModel(LoopMetrics metrics, PromoterActivation activation, MailRelay relay) : PageModel
{
    /// <summary>Rows of each per-case or per-person list shown at once; the rest are a page away (or in the CSV).</summary>
    public const int PageSize = 20;

    /// <summary>Months of the root-cause summary shown, newest first.</summary>
    public const int MonthsShown = 12;

    public bool RelayConfigured => relay.IsConfigured;
    public LoopMetricsResult? Result { get; private set; }
    public PromoterList? Promoters { get; private set; }
    public bool CanSeePromoters => User.HasScope(Scopes.ResponsesRead);

    [BindProperty(SupportsGet = true)]
    public string? From { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? To { get; set; }

    /// <summary>The page of the promoters list, from 1.</summary>
    [BindProperty(SupportsGet = true, Name = "promoters")]
    public int PromoterPage { get; set; } = 1;

    public IReadOnlyList<PromoterEntry> PromoterRows =>
        Promoters is { } p ? p.Entries.Skip((Math.Max(1, PromoterPage) - 1) * PageSize).Take(PageSize).ToList() : [];

    public int PromoterPages => Promoters is { } p ? Math.Max(1, (p.Entries.Count + PageSize - 1) / PageSize) : 1;

    /// <summary>The root causes of each month (newest first) as one row: cases with a cause, and the causes by count.</summary>
    public IReadOnlyList<(string Month, int Cases, IReadOnlyList<Count> Causes)> RootCauseMonths =>
        Result is { } r
            ? r.RootCausesByMonth.GroupBy(m => m.Month).OrderByDescending(g => g.Key, StringComparer.Ordinal).Take(MonthsShown)
                .Select(g => (g.Key, g.Sum(m => m.Cases), (IReadOnlyList<Count>)g.Select(m => new Count(m.Name, m.Cases)).ToList())).ToList()
            : [];

    public string PageLink(int page) => $"/loop?from={Uri.EscapeDataString(From ?? "")}&to={Uri.EscapeDataString(To ?? "")}&promoters={page}#promoters";

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
