using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Promoter.Accounts;
using Promoter.Platform;

namespace Promoter.Distribution.Contacts.Pages;

/// <summary>One person: what we know, every invitation, every response and the score over time.</summary>
[Authorize]
public sealed class ContactModel(ContactHistory history, ContactEditor editor, Churn.AtRiskQueries risks) : PageModel
{
    public ContactProfile Profile { get; private set; } = null!;

    /// <summary>The contact's churn risk (null when not scored yet or, for an agent, not one of their contacts) and its history.</summary>
    public Churn.RiskDto? Risk { get; private set; }

    public IReadOnlyList<Churn.RiskHistoryDto> RiskHistory { get; private set; } = [];
    public bool CanEdit => User.HasScope(Scopes.ContactsWrite);

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        if (!User.HasScope(Scopes.ContactsRead))
        {
            return Forbid();
        }

        try
        {
            Profile = await history.LoadAsync(id, ct);
            if (await risks.RiskOfAsync(User, id, ct) is { } risk)
            {
                Risk = Churn.RiskDto.From(risk);
                RiskHistory = await risks.HistoryAsync(id, 20, ct);
            }
        }
        catch (NotFoundException)
        {
            return NotFound();
        }

        return Page();
    }

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

        return Redirect("/contacts");
    }
}
