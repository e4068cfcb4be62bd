using System.CommandLine;

namespace Promoter.Cli;

internal static class DemoCommand
{
    public static Command Create()
    {
        var force = new Option<bool>("--force") { Description = "Add the demo workspace even though the database already holds other workspaces." };
        var command = new Command("demo", "Create the demo workspace with sample surveys and six months of responses (once).") { force };
        command.SetAction(async (result, ct) =>
        {
            await using var host = await CliHost.StartAsync(ct);
            await using var scope = host.CreateScope();
            var outcome = await scope.ServiceProvider.GetRequiredService<Demo.DemoSeeder>().SeedAsync(ct, besideRealWorkspaces: result.GetValue(force));
            if (outcome.Refused)
            {
                throw new CliException(outcome.Message.Replace("--force-demo", "--force", StringComparison.Ordinal));
            }
            await result.Out().WriteLineAsync(outcome.Message);
            return ExitCodes.Ok;
        });
        return command;
    }
}
