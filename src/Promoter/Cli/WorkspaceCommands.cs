using System.CommandLine;
using Microsoft.EntityFrameworkCore;
using Promoter.Accounts;
using Promoter.Data;

namespace Promoter.Cli;

internal static class WorkspaceCommands
{
    public static Command Create()
    {
        var name = new Option<string>("--name") { Description = "Workspace name (unique).", Required = true };
        var email = new Option<string>("--owner-email") { Description = "Email of the owner; an existing user is reused.", Required = true };
        var password = new Option<string>("--owner-password") { Description = "Password of the owner (at least 10 characters).", Required = true };
        var ownerName = new Option<string?>("--owner-name") { Description = "Display name of the owner." };
        var create = new Command("create", "Create a workspace and its owner; prints the workspace id.") { name, email, password, ownerName };
        create.SetAction(async (result, ct) =>
        {
            await using var host = await CliHost.StartAsync(ct);
            await using var scope = host.CreateScope();
            var created = await scope.ServiceProvider.GetRequiredService<WorkspaceAdmin>()
                .CreateAsync(result.GetValue(name), result.GetValue(email), result.GetValue(password), result.GetValue(ownerName), ct);
            await result.Out().WriteLineAsync(created.Workspace.Id.ToString());
            return ExitCodes.Ok;
        });

        var list = new Command("list", "List workspaces (id, name).");
        list.SetAction(async (result, ct) =>
        {
            await using var host = await CliHost.StartAsync(ct);
            await using var scope = host.CreateScope();
            var db = scope.ServiceProvider.GetRequiredService<PromoterDb>();
            foreach (var w in await db.Workspaces.OrderBy(w => w.Name).ToListAsync(ct))
            {
                await result.Out().WriteLineAsync($"{w.Id}\t{w.Name}");
            }

            return ExitCodes.Ok;
        });

        return new Command("workspace", "Manage workspaces.") { create, list };
    }

    /// <summary>Resolves <c>--workspace NAME_OR_ID</c> and binds the scope to it.</summary>
    public static async Task<Workspace> EnterAsync(IServiceProvider scope, string nameOrId, CancellationToken ct)
    {
        var db = scope.GetRequiredService<PromoterDb>();
        var workspace = Guid.TryParse(nameOrId, out var id)
            ? await db.Workspaces.SingleOrDefaultAsync(w => w.Id == id, ct)
            : await db.Workspaces.SingleOrDefaultAsync(w => w.Name == nameOrId.Trim(), ct);
        if (workspace is null)
        {
            throw new CliException($"No workspace named or with id '{nameOrId}'. List them with 'promoter workspace list'.");
        }

        scope.GetRequiredService<WorkspaceContext>().Enter(workspace.Id);
        return workspace;
    }
}
