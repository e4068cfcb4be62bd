namespace Promoter.Accounts;

/// <summary>
/// Permissions, shared by users (granted through their role) and API keys (granted explicitly).
/// Each endpoint requires one scope; a principal carries one <c>scope</c> claim per scope it holds.
/// </summary>
public static class Scopes
{
    public const string ClaimType = "scope";

    public const string WorkspaceRead = "workspace:read";
    public const string WorkspaceWrite = "workspace:write";
    public const string MembersRead = "members:read";
    public const string MembersWrite = "members:write";
    public const string ApiKeysRead = "apikeys:read";
    public const string ApiKeysWrite = "apikeys:write";
    public const string AuditRead = "audit:read";
    public const string SurveysRead = "surveys:read";
    public const string SurveysWrite = "surveys:write";
    public const string ResponsesRead = "responses:read";
    public const string ResponsesWrite = "responses:write";
    public const string ContactsRead = "contacts:read";
    public const string ContactsWrite = "contacts:write";
    public const string DistributionWrite = "distribution:write";
    public const string MetricsRead = "metrics:read";
    public const string CasesRead = "cases:read";
    public const string CasesWrite = "cases:write";
    public const string WebhooksRead = "webhooks:read";
    public const string WebhooksWrite = "webhooks:write";

    public static readonly IReadOnlyList<string> All =
    [
        WorkspaceRead, WorkspaceWrite, MembersRead, MembersWrite, ApiKeysRead, ApiKeysWrite, AuditRead,
        SurveysRead, SurveysWrite, ResponsesRead, ResponsesWrite, ContactsRead, ContactsWrite, DistributionWrite,
        MetricsRead, CasesRead, CasesWrite, WebhooksRead, WebhooksWrite,
    ];

    // Viewers see which webhooks exist and whether they deliver; their URLs (often credentials) only in part.
    private static readonly string[] s_viewer =
        [WorkspaceRead, MembersRead, SurveysRead, ResponsesRead, ContactsRead, MetricsRead, CasesRead, WebhooksRead];

    private static readonly string[] s_agent = [.. s_viewer, CasesWrite];

    private static readonly string[] s_manager =
        [.. s_agent, SurveysWrite, ResponsesWrite, ContactsWrite, DistributionWrite];

    private static readonly string[] s_admin = [.. All];

    /// <summary>What a role may do. Owners and admins differ only in ownership rules enforced elsewhere.</summary>
    public static IReadOnlyList<string> ForRole(Role role) => role switch
    {
        Role.Owner or Role.Admin => s_admin,
        Role.Manager => s_manager,
        Role.Agent => s_agent,
        Role.Viewer => s_viewer,
        _ => [],
    };

    /// <summary>A new API key gets everything except managing people, keys and the workspace itself.</summary>
    public static readonly IReadOnlyList<string> ApiKeyDefault =
        [.. All.Where(s => s is not (MembersWrite or ApiKeysWrite or ApiKeysRead or WorkspaceWrite or AuditRead))];

    public static bool IsKnown(string scope) => All.Contains(scope, StringComparer.Ordinal);
}
