using System.ComponentModel.DataAnnotations;
using Microsoft.Data.Sqlite;
using Npgsql;

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

    /// <summary>SQLite: a file relative to the working directory (see <see cref="AnchorSqlitePath"/>). PostgreSQL: an Npgsql connection string.</summary>
    [Required(AllowEmptyStrings = false)]
    public string ConnectionString { get; set; } = "Data Source=promoter.db";

    /// <summary>Apply pending migrations when the server starts; turn off to run <c>promoter migrate</c> yourself.</summary>
    public bool AutoMigrate { get; set; } = true;

    /// <summary>
    /// SQLite only: allow <c>synchronous</c> below FULL. Off by default because an acknowledged response must survive a power cut.
    /// </summary>
    public bool AllowRelaxedDurability { get; set; }

    /// <summary>
    /// Makes a relative SQLite file name absolute against <paramref name="workingDirectory"/>, the directory the
    /// command was run from, so the file is where the README says whatever the content root or the runner.
    /// </summary>
    public void AnchorSqlitePath(string workingDirectory)
    {
        if (Provider != DatabaseProvider.Sqlite || string.IsNullOrWhiteSpace(ConnectionString))
        {
            return;
        }

        var builder = new SqliteConnectionStringBuilder(ConnectionString);
        var file = builder.DataSource;
        if (file.Length == 0 || file == ":memory:" || builder.Mode == SqliteOpenMode.Memory
            || file.StartsWith("file:", StringComparison.OrdinalIgnoreCase) || file.StartsWith("|DataDirectory|", StringComparison.OrdinalIgnoreCase)
            || Path.IsPathRooted(file))
        {
            return;
        }

        builder.DataSource = Path.GetFullPath(Path.Combine(workingDirectory, file));
        ConnectionString = builder.ToString();
    }

    /// <summary>Where the data lives, for the start-up line: the SQLite file's full path, or PostgreSQL's host and database (never the password).</summary>
    public string Describe()
    {
        if (Provider == DatabaseProvider.Sqlite)
        {
            var file = new SqliteConnectionStringBuilder(ConnectionString).DataSource;
            return "SQLite " + (Path.IsPathRooted(file) ? file : Path.GetFullPath(file));
        }

        var postgres = new NpgsqlConnectionStringBuilder(ConnectionString);
        return $"PostgreSQL database '{postgres.Database}' on {postgres.Host}:{postgres.Port}";
    }
}
