using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Promoter.Data;

namespace Promoter.Loop;

public enum OwnerRule
{
    /// <summary>The team member who served the respondent (a workspace user with that name or email).</summary>
    TeamMember,

    /// <summary>The user named by a contact/response property such as <c>account_owner</c>.</summary>
    AccountOwner,

    /// <summary>Take turns among a chosen team.</summary>
    RoundRobin,

    /// <summary>Always the fallback owner.</summary>
    Fallback,
}

/// <summary>
/// A workspace's follow-up policy: which responses open a case, how long each category may wait (the seeds: 24 hours
/// for detractors; half of customers give a company only 7 days), who owns a case, who hears about overdue ones.
/// Absent row = the defaults below.
/// </summary>
public sealed class LoopSettings : IWorkspaceOwned
{
    public Guid WorkspaceId { get; set; }
    public int DetractorSlaHours { get; set; } = 24;
    public int? PassiveSlaHours { get; set; } = 72;
    public bool PassivesNeedComment { get; set; } = true;

    /// <summary>Rules tried in order; the first that names a member wins, else the fallback owner.</summary>
    public string OwnerRules { get; set; } = "TeamMember,AccountOwner,RoundRobin,Fallback";

    public string AccountOwnerProperty { get; set; } = "account_owner";

    /// <summary>User ids taking turns, comma-separated.</summary>
    public string RoundRobinUserIds { get; set; } = "";

    public int RoundRobinNext { get; set; }
    public Guid? FallbackUserId { get; set; }

    /// <summary>Who hears about overdue cases besides the owner's manager rule; empty = the workspace's owners and admins.</summary>
    public string EscalationUserIds { get; set; } = "";

    /// <summary>The root causes agents choose from, as a JSON list.</summary>
    public string RootCauses { get; set; } = JsonSerializer.Serialize(DefaultRootCauses);

    public static readonly string[] DefaultRootCauses =
        ["Price", "Product quality", "Bug", "Delivery", "Support response time", "Staff attitude", "Onboarding", "Missing feature", "Other"];

    public IReadOnlyList<OwnerRule> Rules => OwnerRules.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
        .Select(r => Enum.TryParse<OwnerRule>(r, out var rule) ? rule : (OwnerRule?)null).OfType<OwnerRule>().ToList();

    public IReadOnlyList<string> RootCauseList => JsonSerializer.Deserialize<List<string>>(RootCauses) ?? [];

    public static IReadOnlyList<Guid> Ids(string csv) =>
        csv.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(Guid.Parse).ToList();
}

internal sealed class LoopSettingsConfiguration : IEntityTypeConfiguration<LoopSettings>
{
    public void Configure(EntityTypeBuilder<LoopSettings> b)
    {
        b.ToTable("loop_settings");
        b.HasKey(s => s.WorkspaceId);
        b.Property(s => s.OwnerRules).HasMaxLength(200);
        b.Property(s => s.AccountOwnerProperty).HasMaxLength(64);
        b.Property(s => s.RoundRobinUserIds).HasMaxLength(4000);
        b.Property(s => s.EscalationUserIds).HasMaxLength(4000);
        b.Property(s => s.RootCauses).HasMaxLength(4000);
        b.HasOne<Accounts.Workspace>().WithMany().HasForeignKey(s => s.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
        b.Ignore(s => s.Rules);
        b.Ignore(s => s.RootCauseList);
    }
}
