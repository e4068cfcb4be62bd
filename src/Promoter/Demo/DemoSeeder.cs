using Microsoft.EntityFrameworkCore;
using Promoter.Accounts;
using Promoter.Data;

namespace Promoter.Demo;

/// <summary>
/// A populated workspace for newcomers (<c>serve --demo</c>). Idempotent: a second run finds the demo and leaves it.
/// Each feature adds its part of the story here as it lands.
/// </summary>
public sealed class DemoSeeder(PromoterDb db, WorkspaceAdmin admin)
{
    public const string WorkspaceName = "Demo";
    public const string OwnerEmail = "demo@promoter.local";
    public const string OwnerPassword = "demo-password-123";

    public sealed record Outcome(Guid WorkspaceId, bool Created, string Message);

    public async Task<Outcome> SeedAsync(CancellationToken ct)
    {
        var existing = await db.Workspaces.SingleOrDefaultAsync(w => w.Name == WorkspaceName, ct);
        if (existing is not null)
        {
            return new Outcome(existing.Id, false, $"Demo workspace already present. Sign in as {OwnerEmail} / {OwnerPassword}.");
        }

        var created = await admin.CreateAsync(WorkspaceName, OwnerEmail, OwnerPassword, "Dana Demo", ct);
        await admin.AddMemberAsync("viewer@promoter.local", "Vic Viewer", OwnerPassword, "viewer", Role.Owner, ct);
        await admin.AddMemberAsync("agent@promoter.local", "Alex Agent", OwnerPassword, "agent", Role.Owner, ct);
        return new Outcome(created.Workspace.Id, true,
            $"Created the demo workspace. Sign in as {OwnerEmail} / {OwnerPassword} (also viewer@promoter.local and agent@promoter.local, same password).");
    }
}
