using System.ComponentModel.DataAnnotations;

namespace Promoter.Data;

public enum DatabaseProvider
{
    Sqlite,
    Postgres,
}

/// <summary>Which database Promoter runs on. Bound from the <c>Database</c> section (env <c>Database__Provider</c>, <c>Database__ConnectionString</c>).</summary>
public sealed class DatabaseOptions
{
    public const string Section = "Database";

    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>SQLite: a file relative to the working directory by default. PostgreSQL: an Npgsql connection string.</summary>
    [Required(AllowEmptyStrings = false)]
    public string ConnectionString { get; set; } = "Data Source=promoter.db";

    /// <summary>Apply pending migrations when the server starts; turn off to run <c>promoter migrate</c> yourself.</summary>
    public bool AutoMigrate { get; set; } = true;

    /// <summary>
    /// SQLite only: allow <c>synchronous</c> below FULL. Off by default because an acknowledged response must survive a power cut.
    /// </summary>
    public bool AllowRelaxedDurability { get; set; }
}
