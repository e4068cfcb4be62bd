using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Promoter.Accounts;
using Promoter.Platform;

namespace Promoter.Distribution.Batches.Pages;

/// <summary>A batch send's progress: contacts dealt with, invitations by status; refreshes itself while it runs.</summary>
[Authorize]
public sealed class ProgressModel(BatchSends batches) : PageModel
{
    public BatchProgress Batch { get; private set; } = null!;
    public bool Running => Batch.Status is BatchJobStatus.Queued or BatchJobStatus.Running;

    /// <summary>Whether there is anything left to stop: invitations still to create, or mail still to leave.</summary>
    public bool CanCancel => User.HasScope(Scopes.DistributionWrite) && Batch.Status != BatchJobStatus.Cancelled
        && (Running || Batch.Invitations.GetValueOrDefault("scheduled") > 0);

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        if (!User.HasScope(Scopes.ContactsRead))
        {
            return Forbid();
        }

        try
        {
            Batch = await batches.ProgressAsync(id, ct);
        }
        catch (NotFoundException)
        {
            return NotFound();
        }

        return Page();
    }

    /// <summary>The cancel button: a plain form post, so it works without JavaScript.</summary>
    public async Task<IActionResult> OnPostCancelAsync(Guid id, CancellationToken ct)
    {
        if (!User.HasScope(Scopes.DistributionWrite))
        {
            return Forbid();
        }

        try
        {
            await batches.CancelAsync(id, ct);
        }
        catch (NotFoundException)
        {
            return NotFound();
        }

        return RedirectToPage(new { id });
    }
}
