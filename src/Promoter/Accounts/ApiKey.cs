using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Promoter.Data;

namespace Promoter.Accounts;

/// <summary>
/// A workspace-bound API key. Only a SHA-256 of the secret is stored; the visible <see cref="Prefix"/> finds the row
/// and lets people recognise a key in lists and logs.
/// </summary>
public sealed class ApiKey : IWorkspaceOwned
{
    public Guid Id { get; set; }
    public Guid WorkspaceId { get; set; }
    public required string Name { get; set; }
    public required string Prefix { get; set; }
    public required byte[] SecretHash { get; set; }

    /// <summary>Space-separated scopes, e.g. <c>surveys:read responses:write</c>.</summary>
    public required string Scopes { get; set; }

    public Guid? CreatedByUserId { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? LastUsedAt { get; set; }
    public DateTime? ExpiresAt { get; set; }
    public DateTime? RevokedAt { get; set; }

    public IReadOnlySet<string> ScopeSet => Scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
}

internal sealed class ApiKeyConfiguration : IEntityTypeConfiguration<ApiKey>
{
    public void Configure(EntityTypeBuilder<ApiKey> b)
    {
        b.Property(k => k.Name).HasMaxLength(100);
        b.Property(k => k.Prefix).HasMaxLength(16);
        b.Property(k => k.SecretHash).HasMaxLength(32);
        b.Property(k => k.Scopes).HasMaxLength(1000);
        b.HasIndex(k => k.Prefix).IsUnique();
        b.HasIndex(k => k.WorkspaceId);
        b.HasOne<Workspace>().WithMany().HasForeignKey(k => k.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
        b.Ignore(k => k.ScopeSet);
    }
}
