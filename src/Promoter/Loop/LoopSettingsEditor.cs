using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Promoter.Data;
using Promoter.Platform;

namespace Promoter.Loop;

public sealed record LoopSettingsDto(
    int DetractorSlaHours, int? PassiveSlaHours, bool PassivesNeedComment, IReadOnlyList<string> OwnerRules, string AccountOwnerProperty,
    IReadOnlyList<Guid> RoundRobinUserIds, Guid? FallbackUserId, IReadOnlyList<Guid> EscalationUserIds, IReadOnlyList<string> RootCauses)
{
    public static LoopSettingsDto From(LoopSettings s) => new(s.DetractorSlaHours, s.PassiveSlaHours, s.PassivesNeedComment,
        s.Rules.Select(r => r.ToString()).ToList(), s.AccountOwnerProperty, LoopSettings.Ids(s.RoundRobinUserIds), s.FallbackUserId,
        LoopSettings.Ids(s.EscalationUserIds), s.RootCauseList);
}

/// <summary>The whole policy on PUT; a passive SLA of null means passives never open cases.</summary>
public sealed record LoopSettingsInput(
    int? DetractorSlaHours = null, int? PassiveSlaHours = null, bool? PassivesNeedComment = null, IReadOnlyList<string>? OwnerRules = null,
    string? AccountOwnerProperty = null, IReadOnlyList<Guid>? RoundRobinUserIds = null, Guid? FallbackUserId = null,
    IReadOnlyList<Guid>? EscalationUserIds = null, IReadOnlyList<string>? RootCauses = null);

/// <summary>Reads and saves a workspace's follow-up policy (no row = the defaults).</summary>
public sealed class LoopSettingsEditor(PromoterDb db)
{
    public const int MaxSlaHours = 24 * 30;

    public async Task<LoopSettingsDto> GetAsync(CancellationToken ct) =>
        LoopSettingsDto.From(await db.LoopSettings.AsNoTracking().SingleOrDefaultAsync(ct) ?? new LoopSettings());

    public async Task<LoopSettingsDto> SaveAsync(LoopSettingsInput input, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var row = await db.LoopSettings.SingleOrDefaultAsync(ct);
        var settings = row ?? new LoopSettings();
        var members = await LoopMembers.ListAsync(db, ct);
        var owners = members.Where(m => m.CanOwnCases).Select(m => m.UserId).ToHashSet();

        settings.DetractorSlaHours = input.DetractorSlaHours ?? 24;
        if (settings.DetractorSlaHours is < 1 or > MaxSlaHours)
        {
            errors.Add("detractorSlaHours", $"Use 1 to {MaxSlaHours} hours.");
        }

        settings.PassiveSlaHours = input.PassiveSlaHours;
        if (settings.PassiveSlaHours is < 1 or > MaxSlaHours)
        {
            errors.Add("passiveSlaHours", $"Use 1 to {MaxSlaHours} hours, or null for no cases for passives.");
        }

        settings.PassivesNeedComment = input.PassivesNeedComment ?? true;
        if (input.OwnerRules is not null)
        {
            var rules = new List<OwnerRule>();
            foreach (var name in input.OwnerRules)
            {
                if (Enum.TryParse<OwnerRule>(name, ignoreCase: true, out var rule) && Enum.IsDefined(rule))
                {
                    rules.Add(rule);
                }
                else
                {
                    errors.Add("ownerRules", "Use TeamMember, AccountOwner, RoundRobin and/or Fallback.");
                }
            }

            settings.OwnerRules = string.Join(',', rules.Distinct());
        }

        if (input.AccountOwnerProperty is not null)
        {
            settings.AccountOwnerProperty = input.AccountOwnerProperty;
            if (!TextInput.IsPropertyKey(input.AccountOwnerProperty))
            {
                errors.Add("accountOwnerProperty", "Property names use letters, digits, '_', '.' or '-' (1 to 64 characters).");
            }
        }

        if (input.RoundRobinUserIds is not null)
        {
            if (input.RoundRobinUserIds.Any(id => !owners.Contains(id)) || input.RoundRobinUserIds.Count > 100)
            {
                errors.Add("roundRobinUserIds", "Choose members who can work on cases (not viewers).");
            }

            settings.RoundRobinUserIds = string.Join(',', input.RoundRobinUserIds.Distinct());
            settings.RoundRobinNext = 0;
        }

        settings.FallbackUserId = input.FallbackUserId;
        if (input.FallbackUserId is { } fallback && !owners.Contains(fallback))
        {
            errors.Add("fallbackUserId", "Choose a member who can work on cases (not a viewer).");
        }

        if (input.EscalationUserIds is not null)
        {
            if (input.EscalationUserIds.Any(id => members.All(m => m.UserId != id)) || input.EscalationUserIds.Count > 100)
            {
                errors.Add("escalationUserIds", "Choose members of this workspace.");
            }

            settings.EscalationUserIds = string.Join(',', input.EscalationUserIds.Distinct());
        }

        if (input.RootCauses is not null)
        {
            var causes = new List<string>();
            foreach (var raw in input.RootCauses)
            {
                if (TextInput.Line(raw, "rootCauses", 100, errors) is { } cause && !causes.Contains(cause, StringComparer.Ordinal))
                {
                    causes.Add(cause);
                }
            }

            var json = JsonSerializer.Serialize(causes);
            if (causes.Count > 100 || json.Length > 4000)
            {
                errors.Add("rootCauses", "Use at most 100 root causes (4000 characters in all).");
            }

            settings.RootCauses = json;
        }

        errors.ThrowIfAny();
        if (row is null)
        {
            db.LoopSettings.Add(settings);
        }

        await db.SaveChangesAsync(ct);
        return LoopSettingsDto.From(settings);
    }
}
