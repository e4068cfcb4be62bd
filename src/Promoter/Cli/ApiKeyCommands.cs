using System.CommandLine;
using Promoter.Accounts;

namespace Promoter.Cli;

internal static class ApiKeyCommands
{
    public static Command Create()
    {
        var workspace = new Option<string>("--workspace") { Description = "Workspace name or id.", Required = true };
        var scopes = new Option<string[]>("--scopes")
        {
            Description = "Scopes to grant (space- or comma-separated), e.g. 'surveys:read responses:write'. Default: all but account administration.",
            AllowMultipleArgumentsPerToken = true,
        };
        var name = new Option<string>("--name") { Description = "A name to recognise the key by.", DefaultValueFactory = _ => "CLI key" };
        var create = new Command("create", "Create an API key. The key is printed once, alone on the last line of stdout.") { workspace, scopes, name };
        create.SetAction(async (result, ct) =>
        {
            var requested = (result.GetValue(scopes) ?? [])
                .SelectMany(s => s.Split([',', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                .ToList();
            await using var host = await CliHost.StartAsync(ct);
            await using var scope = host.CreateScope();
            var ws = await WorkspaceCommands.EnterAsync(scope.ServiceProvider, result.GetRequiredValue(workspace), ct);
            var issued = await scope.ServiceProvider.GetRequiredService<ApiKeys>().CreateAsync(result.GetValue(name), requested, null, null, ct);
            await result.Out().WriteLineAsync($"Created key {issued.Key.Prefix}… for workspace '{ws.Name}' with scopes: {issued.Key.Scopes}");
            await result.Out().WriteLineAsync("Store it now; it cannot be shown again.");
            await result.Out().WriteLineAsync(issued.PlainText);
            return ExitCodes.Ok;
        });
        return new Command("apikey", "Manage API keys.") { create };
    }
}
