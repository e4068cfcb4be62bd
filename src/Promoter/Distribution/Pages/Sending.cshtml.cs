using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Promoter.Accounts;

namespace Promoter.Distribution.Pages;

/// <summary><c>/sending</c>: every send with its status counts and response rate, the survey mail queue, the latest invitations.</summary>
[Authorize]
public sealed class SendingModel(SendingStatus status) : PageModel
{
    public IReadOnlyList<SendRow> Rows { get; private set; } = [];
    public MailBacklog Queue { get; private set; } = null!;
    public IReadOnlyList<Invitation> Recent { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!User.HasScope(Scopes.SurveysRead) || !User.HasScope(Scopes.ContactsRead))
        {
            return Forbid();
        }

        Rows = await status.RowsAsync(ct);
        Queue = await status.QueueAsync(ct);
        Recent = await status.RecentAsync(20, ct);
        return Page();
    }

    public static string Percent(double? rate) =>
        rate is { } r ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{Math.Round(r * 100):0}%") : "–";

    public static string When(DateTime? at) => at?.ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture) + " UTC";
}
