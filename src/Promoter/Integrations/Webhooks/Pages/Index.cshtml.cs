using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Promoter.Accounts;
using Promoter.Data;
using Promoter.Platform;

namespace Promoter.Integrations.Webhooks.Pages;

/// <summary>The workspace's endpoints; admins add new ones here and see the new secret once.</summary>
[Authorize]
public sealed class IndexModel(PromoterDb db, WebhookEndpointEditor editor, TimeProvider clock) : PageModel
{
    public IReadOnlyList<WebhookDto> Endpoints { get; private set; } = [];
    public bool CanEdit => User.HasScope(Scopes.WebhooksWrite);
    public string? NewSecret { get; private set; }
    public Guid? NewId { get; private set; }

    [BindProperty]
    public EndpointForm Form { get; set; } = new();

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!User.HasScope(Scopes.WebhooksRead))
        {
            return Forbid();
        }

        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostCreateAsync(CancellationToken ct)
    {
        if (!CanEdit)
        {
            return Forbid();
        }

        try
        {
            var issued = await editor.CreateAsync(Form.ToInput(), ct);
            (NewSecret, NewId) = (issued.Secret, issued.Endpoint.Id);
            Form = new EndpointForm();
            Response.Headers.CacheControl = "no-store";
        }
        catch (RequestValidationException e)
        {
            EndpointForm.AddErrors(ModelState, e);
        }
        catch (DomainException e)
        {
            ModelState.AddModelError("", e.Message);
        }

        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        Endpoints = (await db.WebhookEndpoints.AsNoTracking().OrderBy(e => e.CreatedAt).ToListAsync(ct)).Select(e => WebhookDto.From(e, CanEdit, now)).ToList();
    }
}
