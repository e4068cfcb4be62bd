using System.Linq.Expressions;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Promoter.Accounts;

namespace Promoter.Data;

/// <summary>
/// The data layer. Every <see cref="IWorkspaceOwned"/> entity gets a named query filter on the current workspace,
/// and <see cref="SaveChanges(bool)"/> refuses to add or change a row of another workspace.
/// Feature folders add their sets in <c>partial</c> files next to their entities.
/// </summary>
public sealed partial class PromoterDb(DbContextOptions<PromoterDb> options, WorkspaceContext workspace) : DbContext(options), IDataProtectionKeyContext
{
    public const string WorkspaceFilter = "Workspace";

    // Guid.Empty never names a workspace, so an unresolved context reads nothing.
    private Guid CurrentWorkspaceId => workspace.WorkspaceId ?? Guid.Empty;

    public WorkspaceContext Workspace => workspace;

    public DbSet<Workspace> Workspaces => Set<Workspace>();
    public DbSet<User> Users => Set<User>();
    public DbSet<Membership> Memberships => Set<Membership>();
    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();
    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();

    /// <summary>The Data Protection key ring, shared by every app node (cookies, form tickets).</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfiguration(new WorkspaceConfiguration());
        modelBuilder.ApplyConfiguration(new UserConfiguration());
        modelBuilder.ApplyConfiguration(new MembershipConfiguration());
        modelBuilder.ApplyConfiguration(new ApiKeyConfiguration());
        modelBuilder.ApplyConfiguration(new AuditEntryConfiguration());
        ConfigureFeatures(modelBuilder);

        foreach (var entity in modelBuilder.Model.GetEntityTypes())
        {
            if (typeof(IWorkspaceOwned).IsAssignableFrom(entity.ClrType))
            {
                modelBuilder.Entity(entity.ClrType).HasQueryFilter(WorkspaceFilter, WorkspaceFilterFor(entity.ClrType));
            }
        }
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
    }

    /// <summary>Feature folders register their entity configurations here (one line each, in a partial file).</summary>
    static partial void ConfigureFeatures(ModelBuilder modelBuilder);

    private LambdaExpression WorkspaceFilterFor(Type entityType)
    {
        // e => e.WorkspaceId == this.CurrentWorkspaceId — referencing the context member keeps it a parameter.
        var e = Expression.Parameter(entityType, "e");
        var body = Expression.Equal(
            Expression.Property(e, nameof(IWorkspaceOwned.WorkspaceId)),
            Expression.Property(Expression.Constant(this), nameof(CurrentWorkspaceId)));
        return Expression.Lambda(body, e);
    }

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        GuardWorkspaceWrites();
        return base.SaveChanges(acceptAllChangesOnSuccess);
    }

    public override Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        GuardWorkspaceWrites();
        return base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
    }

    private void GuardWorkspaceWrites()
    {
        foreach (var entry in ChangeTracker.Entries<IWorkspaceOwned>())
        {
            if (entry.State is not (EntityState.Added or EntityState.Modified or EntityState.Deleted))
            {
                continue;
            }

            var current = workspace.WorkspaceId ?? throw new WorkspaceNotResolvedException();
            if (entry.State == EntityState.Added && entry.Entity.WorkspaceId == Guid.Empty)
            {
                entry.Entity.WorkspaceId = current;
            }

            var original = entry.State == EntityState.Added
                ? entry.Entity.WorkspaceId
                : entry.Property(nameof(IWorkspaceOwned.WorkspaceId)).OriginalValue as Guid? ?? Guid.Empty;
            if (entry.Entity.WorkspaceId != current || original != current)
            {
                throw new CrossWorkspaceWriteException(entry.Metadata.ClrType.Name);
            }
        }
    }
}
