using System.Buffers.Text;
using System.CommandLine;
using System.Security.Cryptography;
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
        return new Command("user", "Manage users.") { create, ResetPassword() };
    }

    private static Command ResetPassword()
    {
        var email = new Option<string>("--email") { Description = "The user's email.", Required = true };
        var workspace = new Option<string?>("--workspace") { Description = "Workspace name or id the user must belong to (the reset is recorded in its audit log)." };
        var password = new Option<string?>("--password") { Description = "The new password (at least 10 characters); without it one is generated and printed." };
        var command = new Command("reset-password", "Set a new password for a user, sign them out everywhere and clear a sign-in lockout.") { email, workspace, password };
        command.SetAction(async (result, ct) =>
        {
            await using var host = await CliHost.StartAsync(ct);
            await using var scope = host.CreateScope();
            Guid? workspaceId = result.GetValue(workspace) is { } w ? (await WorkspaceCommands.EnterAsync(scope.ServiceProvider, w, ct)).Id : null;
            var given = result.GetValue(password);
            var chosen = given ?? Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(18));
            var user = await scope.ServiceProvider.GetRequiredService<WorkspaceAdmin>().ResetPasswordAsync(result.GetValue(email), chosen, workspaceId, ct);
            await result.Out().WriteLineAsync($"New password set for {user.Email}; their sessions are ended and any sign-in lockout is cleared.");
            if (given is null)
            {
                // Last line, alone, like 'apikey create': easy to copy or to read from a script.
                await result.Out().WriteLineAsync(chosen);
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
