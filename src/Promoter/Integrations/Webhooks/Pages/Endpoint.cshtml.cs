using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Promoter.Accounts;
using Promoter.Platform;

namespace Promoter.Integrations.Webhooks.Pages;

/// <summary>One endpoint: its state and delivery log for everyone who may read webhooks; changes, rotation and replay for admins.</summary>
[Authorize]
public sealed class EndpointModel(WebhookEndpointEditor editor, WebhookDeliveryLog log, TimeProvider clock) : PageModel
{
    public const int PageSize = 50;

    public WebhookDto Endpoint { get; private set; } = null!;
    public DeliveryPage Deliveries { get; private set; } = new([], null);
    public bool CanEdit => User.HasScope(Scopes.WebhooksWrite);
    public string? Status { get; private set; }
    public string? NewSecret { get; private set; }
    public string? Message { get; private set; }

    [BindProperty]
    public EndpointForm Form { get; set; } = new();

    public async Task<IActionResult> OnGetAsync(Guid id, string? status, long? before, CancellationToken ct)
    {
        if (!User.HasScope(Scopes.WebhooksRead))
        {
            return Forbid();
        }

        try
        {
            await LoadAsync(id, status, before, resetForm: true, ct);
        }
        catch (NotFoundException)
        {
            return NotFound();
        }

        return Page();
    }

    public Task<IActionResult> OnPostSaveAsync(Guid id, CancellationToken ct) => ChangeAsync(id, async () =>
    {
        await editor.UpdateAsync(id, Form.ToInput(), ct);
        Message = "Saved.";
    }, ct);

    public Task<IActionResult> OnPostRotateAsync(Guid id, CancellationToken ct) => ChangeAsync(id, async () =>
    {
        NewSecret = (await editor.RotateSecretAsync(id, ct)).Secret;
        Response.Headers.CacheControl = "no-store";
    }, ct);

    public Task<IActionResult> OnPostReplayAsync(Guid id, long deliveryId, CancellationToken ct) => ChangeAsync(id, async () =>
    {
        var replay = await log.ReplayAsync(id, deliveryId, ct);
        Message = $"Delivery #{deliveryId} is queued again as #{replay.Id}.";
    }, ct);

    public async Task<IActionResult> OnPostDeleteAsync(Guid id, CancellationToken ct)
    {
        if (!CanEdit)
        {
            return Forbid();
        }

        try
        {
            await editor.DeleteAsync(id, ct);
        }
        catch (NotFoundException)
        {
            return NotFound();
        }

        return Redirect("/settings/webhooks");
    }

    private async Task<IActionResult> ChangeAsync(Guid id, Func<Task> change, CancellationToken ct)
    {
        if (!CanEdit)
        {
            return Forbid();
        }

        var resetForm = true;
        try
        {
            await change();
        }
        catch (NotFoundException)
        {
            return NotFound();
        }
        catch (RequestValidationException e)
        {
            EndpointForm.AddErrors(ModelState, e);
            resetForm = false; // keep what was typed, next to its messages
        }
        catch (DomainException e)
        {
            ModelState.AddModelError("", e.Message);
        }

        await LoadAsync(id, null, null, resetForm, ct);
        return Page();
    }

    private async Task LoadAsync(Guid id, string? status, long? before, bool resetForm, CancellationToken ct)
    {
        var endpoint = await editor.FindAsync(id, ct);
        Endpoint = WebhookDto.From(endpoint, CanEdit, clock.GetUtcNow().UtcDateTime);
        if (resetForm)
        {
            Form = EndpointForm.From(endpoint);
        }

        Status = status is "pending" or "failed" or "succeeded" ? status : null;
        WebhookDeliveryStatus? filter = Status switch
        {
            "pending" => WebhookDeliveryStatus.Pending,
            "failed" => WebhookDeliveryStatus.Failed,
            "succeeded" => WebhookDeliveryStatus.Succeeded,
            _ => null,
        };
        Deliveries = await log.ListAsync(id, filter, before, PageSize, ct);
    }
}
