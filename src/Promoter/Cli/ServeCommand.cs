using System.CommandLine;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;
using Promoter.Data;
using Promoter.Platform;

namespace Promoter.Cli;

internal static class ServeCommand
{
    public const string DefaultUrl = "http://127.0.0.1:5000";

    public static Command Create()
    {
        var urls = new Option<string?>("--urls") { Description = $"Addresses to listen on, separated by ';' (default {DefaultUrl})." };
        var demo = new Option<bool>("--demo") { Description = "Also create a demo workspace with realistic data to explore." };
        var forceDemo = new Option<bool>("--force-demo") { Description = "With --demo: add the demo workspace even though the database already holds other workspaces." };
        var command = new Command("serve", "Run the Promoter server (dashboard, survey pages, API and background workers).") { urls, demo, forceDemo };
        command.SetAction(async (result, ct) =>
        {
            var args = new List<string>();
            var requested = result.GetValue(urls);
            if (requested is not null)
            {
                args.Add("--urls=" + requested);
            }
            else if (Environment.GetEnvironmentVariable("ASPNETCORE_URLS") is null && Environment.GetEnvironmentVariable("URLS") is null)
            {
                args.Add("--urls=" + DefaultUrl);
            }

            var app = Program.BuildServer(Program.CreateServerBuilder([.. args]));
            await result.Out().WriteLineAsync("Database: " + app.Services.GetRequiredService<IOptions<DatabaseOptions>>().Value.Describe());
            await ServerStartup.PrepareAsync(app, ct);
            if (result.GetValue(demo) || result.GetValue(forceDemo))
            {
                await using var scope = app.Services.CreateAsyncScope();
                var seeded = await scope.ServiceProvider.GetRequiredService<Demo.DemoSeeder>().SeedAsync(ct, besideRealWorkspaces: result.GetValue(forceDemo));
                if (seeded.Refused)
                {
                    throw new CliException(seeded.Message);
                }

                await result.Out().WriteLineAsync(seeded.Message);
            }

            await app.StartAsync(ct);
            var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
            await result.Out().WriteLineAsync($"Promoter is running on {string.Join(", ", addresses)} (Ctrl+C to stop).");
            await app.WaitForShutdownAsync(ct);
            return ExitCodes.Ok;
        });
        return command;
    }
}
