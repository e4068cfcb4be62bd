namespace Promoter.Accounts;

/// <summary>What a member may do in a workspace, from most to least powerful.</summary>
public enum Role
{
    Owner = 0,
    Admin = 1,
    Manager = 2,
    Agent = 3,
    Viewer = 4,
}

public static class Roles
{
    public static string ToWireName(this Role role) => role switch
    {
        Role.Owner => "owner",
        Role.Admin => "admin",
        Role.Manager => "manager",
        Role.Agent => "agent",
        Role.Viewer => "viewer",
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, null),
    };

    public static bool TryParse(string? value, out Role role)
    {
        role = Role.Viewer;
        switch (value?.Trim().ToUpperInvariant())
        {
            case "OWNER": role = Role.Owner; return true;
            case "ADMIN": role = Role.Admin; return true;
            case "MANAGER": role = Role.Manager; return true;
            case "AGENT": role = Role.Agent; return true;
            case "VIEWER": role = Role.Viewer; return true;
            default: return false;
        }
    }

    public static readonly IReadOnlyList<string> WireNames = ["owner", "admin", "manager", "agent", "viewer"];
}
