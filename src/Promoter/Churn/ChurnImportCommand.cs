using System.CommandLine;
using System.Globalization;
using System.Text;
using Promoter.Cli;
using Promoter.Platform.Csv;

namespace Promoter.Churn;

/// <summary><c>promoter import churn FILE --workspace W</c>: churn events from CSV, all or nothing, safe to repeat.</summary>
internal static class ChurnImportCommand
{
    public static Command Create()
    {
        var file = new Argument<string>("FILE") { Description = "A CSV file with a header row (UTF-8; comma, semicolon, tab or pipe delimited)." };
        var workspace = new Option<string>("--workspace") { Description = "Workspace name or id.", Required = true };
        var errors = new Option<string?>("--errors") { Description = "Write every rejected row to this CSV file (line, field, message, value)." };
        var command = new Command("churn",
            "Import churn events (customers who left) from CSV in one transaction; one bad row imports nothing. Columns (header names, " +
            "any case): one of email, contact_id or account; occurred_at (ISO-8601 with offset, required); reason; revenue; external_key. " +
            "Contacts must exist (an import never creates them); events already stored are skipped, so the file can be imported again.")
        {
            file, workspace, errors,
        };
        command.SetAction(async (result, ct) =>
        {
            var path = result.GetRequiredValue(file);
            if (!File.Exists(path))
            {
                throw new CliException($"No such file: {path}");
            }

            await using var host = await CliHost.StartAsync(ct);
            await using var scope = host.CreateScope();
            var entered = await WorkspaceCommands.EnterAsync(scope.ServiceProvider, result.GetRequiredValue(workspace), ct);
            var errorsPath = result.GetValue(errors);
            StreamWriter? errorsFile = null;
            CsvWriter? errorsCsv = null;
            if (errorsPath is not null)
            {
                errorsFile = new StreamWriter(errorsPath, false, new UTF8Encoding(true));
                errorsCsv = new CsvWriter(errorsFile);
                errorsCsv.WriteLine("line", "field", "message", "value");
            }

            ChurnImportResult outcome;
            try
            {
                await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
                outcome = await scope.ServiceProvider.GetRequiredService<ChurnEventImporter>().ImportAsync(stream,
                    errorsCsv is null ? null : e => errorsCsv.WriteLine(e.Line.ToString(CultureInfo.InvariantCulture), e.Field, e.Message, e.Value), ct);
            }
            catch (OperationCanceledException)
            {
                throw new CliException("Cancelled; nothing was imported.");
            }
            catch (Collect.ImportFileException e)
            {
                throw new CliException(e.Message);
            }
            finally
            {
                if (errorsFile is not null)
                {
                    await errorsFile.DisposeAsync();
                }
            }

            var stderr = result.Err();
            if (!outcome.Committed)
            {
                await ImportCommands.ReportErrorsAsync(stderr, outcome.FirstErrors, outcome.Errors, errorsPath);
                await stderr.WriteLineAsync($"error: {outcome.Rejected:N0} of {outcome.Rows:N0} row(s) rejected; nothing was imported.");
                return ExitCodes.Failed;
            }

            if (outcome.EncodingNote is { } note)
            {
                await stderr.WriteLineAsync("note: " + note);
            }

            await result.Out().WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"Imported {outcome.Created:N0} churn events into workspace '{entered.Name}' ({outcome.Duplicates:N0} already recorded), " +
                $"in {outcome.Elapsed.TotalSeconds:0.00} s."));
            return ExitCodes.Ok;
        });
        return command;
    }
}
