using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Promoter.Accounts;
using Promoter.Platform;

namespace Promoter.Integrations.Webhooks.Pages;

/// <summary>One delivery's log: each attempt with its answer, and the exact payload sent.</summary>
[Authorize]
public sealed class DeliveryModel(WebhookDeliveryLog log) : PageModel
{
    public DeliveryDetailDto Detail { get; private set; } = null!;
    public Guid EndpointId { get; private set; }
    public bool CanEdit => User.HasScope(Scopes.WebhooksWrite);

    public async Task<IActionResult> OnGetAsync(Guid id, long deliveryId, CancellationToken ct)
    {
        if (!User.HasScope(Scopes.WebhooksRead))
        {
            return Forbid();
        }

        return await LoadAsync(id, deliveryId, ct) ? Page() : NotFound();
    }

    public async Task<IActionResult> OnPostReplayAsync(Guid id, long deliveryId, CancellationToken ct)
    {
        if (!CanEdit)
        {
            return Forbid();
        }

        try
        {
            var replay = await log.ReplayAsync(id, deliveryId, ct);
            return Redirect($"/settings/webhooks/{id}/deliveries/{replay.Id}");
        }
        catch (NotFoundException)
        {
            return NotFound();
        }
        catch (DomainException e)
        {
            ModelState.AddModelError("", e.Message);
        }

        return await LoadAsync(id, deliveryId, ct) ? Page() : NotFound();
    }

    private async Task<bool> LoadAsync(Guid id, long deliveryId, CancellationToken ct)
    {
        try
        {
            Detail = await log.GetAsync(id, deliveryId, ct);
            EndpointId = id;
            return true;
        }
        catch (NotFoundException)
        {
            return false;
        }
    }
}
