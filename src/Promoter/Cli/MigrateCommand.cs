using System.CommandLine;
using Promoter.Data;

namespace Promoter.Cli;

internal static class MigrateCommand
{
    public static Command Create()
    {
        var check = new Option<bool>("--check") { Description = "Only list pending migrations; exit 1 if any are pending." };
        var command = new Command("migrate", "Apply pending database migrations (the server also does this at start-up).") { check };
        command.SetAction(async (result, ct) =>
        {
            await using var host = await CliHost.StartAsync(ct, migrate: false);
            await using var scope = host.CreateScope();
            var migrator = scope.ServiceProvider.GetRequiredService<SchemaMigrator>();
            if (result.GetValue(check))
            {
                var pending = await migrator.PendingAsync(ct);
                foreach (var script in pending)
                {
                    await result.Out().WriteLineAsync($"pending {script.Name}");
                }

                return pending.Count == 0 ? ExitCodes.Ok : ExitCodes.Failed;
            }

            var applied = await migrator.MigrateAsync(ct);
            foreach (var script in applied)
            {
                await result.Out().WriteLineAsync($"applied {script.Name}");
            }

            await result.Out().WriteLineAsync(applied.Count == 0 ? "The database is up to date." : $"Applied {applied.Count} migration(s).");
            return ExitCodes.Ok;
        });
        return command;
    }
}
