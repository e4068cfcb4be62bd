using System.CommandLine;
using Promoter.Accounts;

namespace Promoter.Cli;

internal static class UserCommands
{
    public static Command Create()
    {
        var workspace = new Option<string>("--workspace") { Description = "Workspace name or id.", Required = true };
        var email = new Option<string>("--email") { Description = "The user's email.", Required = true };
        var password = new Option<string?>("--password") { Description = "Password for a new user (at least 10 characters)." };
        var role = new Option<string>("--role")
        {
            Description = "owner, admin, manager, agent or viewer.",
            DefaultValueFactory = _ => "viewer",
        };
        role.AcceptOnlyFromAmong([.. Roles.WireNames]);
        var name = new Option<string?>("--name") { Description = "Display name." };
        var create = new Command("create", "Add a user to a workspace (creating the account if needed).") { workspace, email, password, role, name };
        create.SetAction(async (result, ct) =>
        {
            await using var host = await CliHost.StartAsync(ct);
            await using var scope = host.CreateScope();
            await WorkspaceCommands.EnterAsync(scope.ServiceProvider, result.GetRequiredValue(workspace), ct);
            var membership = await scope.ServiceProvider.GetRequiredService<WorkspaceAdmin>().AddMemberAsync(
                result.GetValue(email), result.GetValue(name), result.GetValue(password), result.GetValue(role), Role.Owner, ct);
            await result.Out().WriteLineAsync(membership.UserId.ToString());
            return ExitCodes.Ok;
        });
        return new Command("user", "Manage users.") { create };
    }
}
