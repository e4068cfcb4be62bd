using System.CommandLine;
using Microsoft.EntityFrameworkCore;
using Promoter.Data;

namespace Promoter.Cli;

/// <summary>
/// <c>promoter schema script</c>: the DDL the current model implies, per provider. Contributors start a new
/// migration from its diff against the last one (there is no <c>dotnet ef</c> here); a test checks that the
/// migrations and the model agree on both providers.
/// </summary>
internal static class SchemaCommand
{
    public static Command Create()
    {
        var provider = new Option<DatabaseProvider>("--provider") { Description = "Sqlite or Postgres.", DefaultValueFactory = _ => DatabaseProvider.Sqlite };
        var script = new Command("script", "Print the CREATE script the model implies for a provider.") { provider };
        script.SetAction(async (result, ct) =>
        {
            await result.Out().WriteLineAsync(CreateScript(result.GetValue(provider)));
            return ExitCodes.Ok;
        });
        return new Command("schema", "Developer tools for the database schema.") { script };
    }

    public static string CreateScript(DatabaseProvider provider)
    {
        var options = new DbContextOptionsBuilder<PromoterDb>();
        DataRegistration.Configure(options, new DatabaseOptions
        {
            Provider = provider,
            ConnectionString = provider == DatabaseProvider.Sqlite ? "Data Source=:memory:" : "Host=localhost;Database=promoter",
        });
        using var db = new PromoterDb(options.Options, new WorkspaceContext());
        return db.Database.GenerateCreateScript();
    }
}
