using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Promoter.Accounts;
using Promoter.Data;
using Promoter.Platform;

namespace Promoter.Loop.Pages;

/// <summary>The follow-up policy (SLA, owners, root causes) and the alert rules; admins change them, everyone with case access reads.</summary>
[Authorize]
public sealed class SettingsModel(LoopSettingsEditor settings, AlertRuleEditor rules, PromoterDb db) : PageModel
{
    public LoopSettingsDto Policy { get; private set; } = null!;
    public IReadOnlyList<AlertRuleDto> Rules { get; private set; } = [];
    public IReadOnlyList<LoopMember> Members { get; private set; } = [];
    public bool CanEdit => User.HasScope(Scopes.WorkspaceWrite);
    public string? Done { get; private set; }

    [BindProperty] public int DetractorSlaHours { get; set; } = 24;
    [BindProperty] public int? PassiveSlaHours { get; set; }
    [BindProperty] public bool PassivesNeedComment { get; set; }
    [BindProperty] public Guid? FallbackUserId { get; set; }
    [BindProperty] public List<Guid> RoundRobinUserIds { get; set; } = [];
    [BindProperty] public string? RootCauses { get; set; }

    [BindProperty] public string? RuleName { get; set; }
    [BindProperty] public List<string> RuleCategories { get; set; } = [];
    [BindProperty] public string? RuleKeywords { get; set; }
    [BindProperty] public string? RulePropertyKey { get; set; }
    [BindProperty] public string? RulePropertyValue { get; set; }
    [BindProperty] public string? RuleTeamMember { get; set; }
    [BindProperty] public Guid? RuleThemeId { get; set; }

    /// <summary>The workspace's themes, for the rule condition "the comment has theme …".</summary>
    public IReadOnlyList<(Guid Id, string Name)> Themes { get; private set; } = [];
    [BindProperty] public bool RuleEmailOwner { get; set; }
    [BindProperty] public string? RuleEmailAddresses { get; set; }
    [BindProperty] public string? RuleWebhookUrl { get; set; }
    [BindProperty] public string RuleWebhookFormat { get; set; } = "json";
    [BindProperty] public string RuleDigest { get; set; } = "none";

    public async Task<IActionResult> OnGetAsync(string? done, CancellationToken ct)
    {
        if (!User.HasScope(Scopes.CasesRead))
        {
            return Forbid();
        }

        Done = done;
        await LoadAsync(fill: true, ct);
        return Page();
    }

    public Task<IActionResult> OnPostPolicyAsync(CancellationToken ct) =>
        ActAsync("policy", () => settings.SaveAsync(new LoopSettingsInput(DetractorSlaHours, PassiveSlaHours, PassivesNeedComment, null, null, RoundRobinUserIds,
            FallbackUserId, null, Lines(RootCauses)), ct), ct);

    public Task<IActionResult> OnPostRuleAsync(CancellationToken ct) =>
        ActAsync("rule", () => rules.CreateAsync(new AlertRuleInput(RuleName ?? "", true, RuleCategories, null, null, Lines(RuleKeywords), null,
            NullIfEmpty(RulePropertyKey), NullIfEmpty(RulePropertyValue), NullIfEmpty(RuleTeamMember), RuleThemeId, RuleEmailOwner, null, Lines(RuleEmailAddresses),
            NullIfEmpty(RuleWebhookUrl), RuleWebhookFormat, RuleDigest), ct), ct);

    public Task<IActionResult> OnPostDeleteRuleAsync(Guid ruleId, CancellationToken ct) =>
        ActAsync("deleted", async () =>
        {
            await rules.DeleteAsync(ruleId, ct);
            return true;
        }, ct);

    private async Task<IActionResult> ActAsync<T>(string done, Func<Task<T>> act, CancellationToken ct)
    {
        if (!CanEdit)
        {
            return Forbid();
        }

        try
        {
            await act();
            return Redirect($"/settings/loop?done={done}");
        }
        catch (RequestValidationException e)
        {
            foreach (var (field, messages) in e.Errors)
            {
                ModelState.AddModelError(field, string.Join(" ", messages));
            }
        }
        catch (DomainException e)
        {
            ModelState.AddModelError("", e.Message);
        }

        await LoadAsync(fill: false, ct);
        return Page();
    }

    private async Task LoadAsync(bool fill, CancellationToken ct)
    {
        Policy = await settings.GetAsync(ct);
        Rules = await rules.ListAsync(ct);
        Members = await LoopMembers.ListAsync(db, ct);
        Themes = (await db.Themes.AsNoTracking().OrderBy(t => t.Name).Select(t => new { t.Id, t.Name }).ToListAsync(ct)).Select(t => (t.Id, t.Name)).ToList();
        if (fill)
        {
            DetractorSlaHours = Policy.DetractorSlaHours;
            PassiveSlaHours = Policy.PassiveSlaHours;
            PassivesNeedComment = Policy.PassivesNeedComment;
            FallbackUserId = Policy.FallbackUserId;
            RoundRobinUserIds = [.. Policy.RoundRobinUserIds];
            RootCauses = string.Join("\n", Policy.RootCauses);
        }
    }

    private static List<string> Lines(string? text) =>
        (text ?? "").Split(['\n', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    public string MemberName(Guid id) => Members.FirstOrDefault(m => m.UserId == id)?.Label ?? "former member";
}
