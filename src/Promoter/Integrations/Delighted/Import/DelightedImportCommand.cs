using System.CommandLine;
using Promoter.Cli;
using Promoter.Collect;

namespace Promoter.Integrations.Delighted.Import;

/// <summary><c>promoter import delighted FILE --survey ID</c>: a Delighted response export, all or nothing, safe to repeat.</summary>
internal static class DelightedImportCommand
{
    public static Command Create()
    {
        var file = new Argument<string>("FILE") { Description = "Delighted's survey response export (CSV, UTF-8)." };
        var survey = new Option<string>("--survey") { Description = "Id of the Promoter survey the responses belong to.", Required = true };
        var workspace = new Option<string?>("--workspace") { Description = "Workspace name or id. Optional: the survey names its workspace." };
        var skipInvalid = new Option<bool>("--skip-invalid") { Description = "Import the valid rows and report the others (default: one bad row imports nothing)." };
        var errors = new Option<string?>("--errors") { Description = "Write every rejected row to this CSV file (line, field, message, value)." };
        var timeZone = new Option<string>("--time-zone")
        {
            Description = "IANA time zone for response times written without an offset (default UTC).",
            DefaultValueFactory = _ => "UTC",
        };
        var command = new Command("delighted",
            "Import a Delighted survey response export into one survey, in one transaction. Reads Response ID, Score, Comment, " +
            "Response timestamp (or created_at), Email, Name, Person ID, Tags, Notes and Permalink (names in any case or spacing); " +
            "every other column is a person property. Rows without a score are left out; responses already imported (same " +
            "Delighted response id) are left as they are, so the command can be run again on the same or a newer export.")
        {
            file, survey, workspace, skipInvalid, errors, timeZone,
        };
        command.SetAction(async (result, ct) =>
        {
            var path = result.GetRequiredValue(file);
            if (!Guid.TryParse(result.GetRequiredValue(survey), out var surveyId))
            {
                throw new CliException("--survey takes a survey id (a GUID, as shown by the API or the dashboard).", ExitCodes.Usage);
            }

            if (!TimeZoneInfo.TryFindSystemTimeZoneById(result.GetRequiredValue(timeZone), out var zone))
            {
                throw new CliException($"--time-zone: no time zone '{result.GetRequiredValue(timeZone)}'; use an IANA name such as Europe/Stockholm.", ExitCodes.Usage);
            }

            if (!File.Exists(path))
            {
                throw new CliException($"No such file: {path}");
            }

            await using var host = await CliHost.StartAsync(ct);
            await using var scope = host.CreateScope();
            var workspaceName = await ImportCommands.EnterWorkspaceAsync(scope.ServiceProvider, result.GetValue(workspace), surveyId, ct);
            return await ImportCommands.RunAsync(result, scope.ServiceProvider.GetRequiredService<ResponseImporter>(), path, surveyId, workspaceName,
                result.GetValue(skipInvalid), result.GetValue(errors), new DelightedImportFormat(zone), ct);
        });
        return command;
    }
}
