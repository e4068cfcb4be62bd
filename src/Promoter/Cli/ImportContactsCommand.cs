using System.CommandLine;
using System.Globalization;
using System.Text;
using Promoter.Distribution.Contacts;
using Promoter.Platform.Csv;
using Spectre.Console;

namespace Promoter.Cli;

/// <summary><c>promoter import contacts FILE --workspace W</c>: contacts from CSV, upserted by email, all or nothing.</summary>
internal static class ImportContactsCommand
{
    public static Command Create()
    {
        var file = new Argument<string>("FILE") { Description = "A CSV file with a header row (UTF-8; comma, semicolon, tab or pipe delimited)." };
        var workspace = new Option<string>("--workspace") { Description = "Workspace name or id.", Required = true };
        var errors = new Option<string?>("--errors") { Description = "Write every rejected row to this CSV file (line, field, message, value)." };
        var command = new Command("contacts",
            "Import contacts from CSV in one transaction, upserting by email (else phone); one bad row imports nothing. Columns (header " +
            "names, any case): email and/or phone, name, locale, time_zone; 'property.NAME' and any other column become properties " +
            "(at most 50). An empty cell leaves the stored value as it is. A person listed twice in the file is an error.")
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
            return await RunAsync(result, scope.ServiceProvider.GetRequiredService<ContactImporter>(), path, entered.Name, result.GetValue(errors), ct);
        });
        return command;
    }

    private static async Task<int> RunAsync(ParseResult result, ContactImporter importer, string path, string workspaceName, string? errorsPath, CancellationToken ct)
    {
        var stderr = result.Err();
        StreamWriter? errorsFile = null;
        CsvWriter? errorsCsv = null;
        if (errorsPath is not null)
        {
            // A BOM so spreadsheet programs read the file as UTF-8; cells are protected against formula injection.
            errorsFile = new StreamWriter(errorsPath, false, new UTF8Encoding(true));
            errorsCsv = new CsvWriter(errorsFile);
            errorsCsv.WriteLine("line", "field", "message", "value");
        }

        var progress = new ContactImportProgress();
        var request = new ContactImportRequest
        {
            Progress = progress,
            Source = Path.GetFileName(path),
            Actor = "cli:" + Environment.UserName,
            OnError = errorsCsv is null ? null : e => errorsCsv.WriteLine(e.Line.ToString(CultureInfo.InvariantCulture), e.Field, e.Message, e.Value),
        };

        ContactImportResult outcome;
        try
        {
            await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
            var import = importer.ImportAsync(stream, request, ct);
            await ShowProgressAsync(stderr, import, progress);
            outcome = await import;
        }
        catch (OperationCanceledException)
        {
            throw new CliException("Cancelled; nothing was imported.");
        }
        finally
        {
            if (errorsFile is not null)
            {
                await errorsFile.DisposeAsync();
            }
        }

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
            $"Imported {outcome.Rows:N0} contacts into workspace '{workspaceName}': {outcome.Created:N0} created, {outcome.Updated:N0} updated, " +
            $"in {outcome.Elapsed.TotalSeconds:0.00} s."));
        return ExitCodes.Ok;
    }

    /// <summary>A progress bar on a terminal; plain lines every few seconds otherwise (logs, pipes, CI).</summary>
    private static async Task ShowProgressAsync(TextWriter stderr, Task import, ContactImportProgress progress)
    {
        if (ReferenceEquals(stderr, Console.Error) && !Console.IsErrorRedirected)
        {
            var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
            await console.Progress()
                .AutoClear(false)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                .StartAsync(async ctx =>
                {
                    var task = ctx.AddTask("Reading", maxValue: Math.Max(1, progress.TotalBytes));
                    while (!import.IsCompleted)
                    {
                        await Task.WhenAny(import, Task.Delay(100));
                        task.Value = progress.BytesRead;
                        task.Description = Markup.Escape(Describe(progress));
                    }

                    task.Value = task.MaxValue;
                    task.Description = Markup.Escape(Describe(progress));
                });
            return;
        }

        while (!import.IsCompleted)
        {
            if (await Task.WhenAny(import, Task.Delay(TimeSpan.FromSeconds(5))) != import)
            {
                await stderr.WriteLineAsync(Describe(progress));
            }
        }
    }

    private static string Describe(ContactImportProgress progress) =>
        string.Create(CultureInfo.InvariantCulture, $"{progress.RowsRead:N0} rows read and checked, {progress.RowsWritten:N0} contacts upserted");
}
