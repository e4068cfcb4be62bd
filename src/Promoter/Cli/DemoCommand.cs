using System.CommandLine;

namespace Promoter.Cli;

internal static class DemoCommand
{
    public static Command Create()
    {
        var command = new Command("demo", "Create the demo workspace with sample surveys and six months of responses (once).");
        command.SetAction(async (result, ct) =>
        {
            await using var host = await CliHost.StartAsync(ct);
            await using var scope = host.CreateScope();
            var outcome = await scope.ServiceProvider.GetRequiredService<Demo.DemoSeeder>().SeedAsync(ct);
            await result.Out().WriteLineAsync(outcome.Message);
            return ExitCodes.Ok;
        });
        return command;
    }
}
