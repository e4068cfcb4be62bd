namespace Promoter.Data;

/// <summary>
/// The workspace the current request or job acts for. Scoped: set once by authentication (or by a job that
/// carries an explicit workspace id) and read by <see cref="PromoterDb"/>. Unset means "no workspace", which
/// matches no tenant-owned row, so a forgotten assignment fails closed.
/// </summary>
public sealed class WorkspaceContext
{
    public Guid? WorkspaceId { get; private set; }

    public Guid RequiredWorkspaceId => WorkspaceId ?? throw new WorkspaceNotResolvedException();

    public void Enter(Guid workspaceId)
    {
        if (workspaceId == Guid.Empty)
        {
            throw new ArgumentException("A workspace id is required.", nameof(workspaceId));
        }

        if (WorkspaceId is { } current && current != workspaceId)
        {
            throw new InvalidOperationException("This scope already acts for another workspace.");
        }

        WorkspaceId = workspaceId;
    }
}

public sealed class WorkspaceNotResolvedException() : InvalidOperationException("No workspace is resolved for this operation.");

public sealed class CrossWorkspaceWriteException(string entity) : InvalidOperationException($"Refused to write a {entity} that belongs to another workspace.");
