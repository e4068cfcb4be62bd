namespace Promoter.Data;

/// <summary>A row that belongs to exactly one workspace (tenant). Reads are filtered and writes are checked by <see cref="PromoterDb"/>.</summary>
public interface IWorkspaceOwned
{
    Guid WorkspaceId { get; set; }
}
