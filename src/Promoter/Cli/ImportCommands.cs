using System.CommandLine;
using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Promoter.Accounts;
using Promoter.Collect;
using Promoter.Data;
using Promoter.Platform.Csv;
using Spectre.Console;

namespace Promoter.Cli;

/// <summary><c>promoter import responses FILE --survey ID</c>: historical responses from CSV, all or nothing.</summary>
internal static class ImportCommands
{
    public const int ShownErrors = 20;

    public static Command Create()
    {
        var file = new Argument<string>("FILE") { Description = "A CSV file with a header row (UTF-8; comma, semicolon, tab or pipe delimited)." };
        var survey = new Option<string>("--survey") { Description = "Id of the survey the responses belong to.", Required = true };
        var workspace = new Option<string?>("--workspace")
        {
            Description = "Workspace name or id. Optional: the survey names its workspace; when given, the survey must belong to it.",
        };
        var skipInvalid = new Option<bool>("--skip-invalid") { Description = "Import the valid rows and report the others (default: one bad row imports nothing)." };
        var errors = new Option<string?>("--errors") { Description = "Write every rejected row to this CSV file (line, field, message, value)." };
        var responses = new Command("responses",
            "Import responses from CSV into one survey, in one transaction. Columns (header names, any case): score (0-10, required), " +
            "responded_at (ISO-8601 with offset, required), comment, email, name, locale, language, channel (default 'import'), " +
            "team_member, touchpoint; 'property.NAME' and any other column become response properties (at most 50). " +
            "Rows with an email are linked to that contact, created if new.")
        {
            file, survey, workspace, skipInvalid, errors,
        };
        responses.SetAction(async (result, ct) =>
        {
            var path = result.GetRequiredValue(file);
            if (!File.Exists(path))
            {
                throw new CliException($"No such file: {path}");
            }

            if (!Guid.TryParse(result.GetRequiredValue(survey), out var surveyId))
            {
                throw new CliException("--survey takes a survey id (a GUID, as shown by the API or the dashboard).", ExitCodes.Usage);
            }

            await using var host = await CliHost.StartAsync(ct);
            await using var scope = host.CreateScope();
            var workspaceName = await EnterWorkspaceAsync(scope.ServiceProvider, result.GetValue(workspace), surveyId, ct);
            return await RunAsync(result, scope.ServiceProvider.GetRequiredService<ResponseImporter>(), path, surveyId, workspaceName,
                result.GetValue(skipInvalid), result.GetValue(errors), ResponsesCsvFormat.Instance, ct);
        });
        return new Command("import", "Import data from files.") { responses, ImportContactsCommand.Create(), Integrations.Delighted.Import.DelightedImportCommand.Create(),
            Churn.ChurnImportCommand.Create() };
    }

    internal static async Task<string> EnterWorkspaceAsync(IServiceProvider services, string? nameOrId, Guid surveyId, CancellationToken ct)
    {
        if (nameOrId is not null)
        {
            return (await WorkspaceCommands.EnterAsync(services, nameOrId, ct)).Name;
        }

        var db = services.GetRequiredService<PromoterDb>();
        var workspaceId = await CrossWorkspaceQueries.WorkspaceOfSurvey(db, surveyId).Cast<Guid?>().SingleOrDefaultAsync(ct)
                          ?? throw new CliException($"No survey with id {surveyId} in any workspace.");
        services.GetRequiredService<WorkspaceContext>().Enter(workspaceId);
        return await db.Workspaces.Where(w => w.Id == workspaceId).Select(w => w.Name).SingleAsync(ct);
    }

    internal static async Task<int> RunAsync(ParseResult result, ResponseImporter importer, string path, Guid surveyId, string workspaceName,
        bool skipInvalid, string? errorsPath, ImportFormat format, CancellationToken ct)
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

        var progress = new ImportProgress();
        var request = new ImportRequest
        {
            SurveyId = surveyId,
            SkipInvalid = skipInvalid,
            Format = format,
            Progress = progress,
            Source = Path.GetFileName(path),
            Actor = "cli:" + Environment.UserName,
            OnError = errorsCsv is null ? null : e => errorsCsv.WriteLine(e.Line.ToString(CultureInfo.InvariantCulture), e.Field, e.Message, e.Value),
        };

        ImportResult outcome;
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

        await ReportErrorsAsync(stderr, outcome, errorsPath);
        if (!outcome.Committed)
        {
            await stderr.WriteLineAsync(
                $"error: {outcome.Rejected:N0} row(s) rejected; nothing was imported. Fix them, or pass --skip-invalid to import the other rows.");
            return ExitCodes.Failed;
        }

        if (outcome.Rejected > 0)
        {
            await stderr.WriteLineAsync($"warning: skipped {outcome.Rejected:N0} invalid row(s).");
        }

        if (outcome.EncodingNote is { } note)
        {
            await stderr.WriteLineAsync("note: " + note);
        }

        if (outcome.AlreadyImported > 0)
        {
            await stderr.WriteLineAsync($"{outcome.AlreadyImported:N0} response(s) were already imported and were left as they are.");
        }

        if (outcome.WithoutScore > 0)
        {
            await stderr.WriteLineAsync($"{outcome.WithoutScore:N0} row(s) without a score (answers never given) were left out.");
        }

        // The time to the durable commit; SQLite then copies the import from the WAL into the database file.
        var afterCommit = outcome.AfterCommit > TimeSpan.Zero
            ? string.Create(CultureInfo.InvariantCulture, $"; database file updated in {outcome.AfterCommit.TotalSeconds:0.00} s more")
            : "";
        await result.Out().WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"Imported {outcome.Imported:N0} responses into survey {surveyId} (workspace '{workspaceName}'), linked to {outcome.Contacts:N0} contacts, " +
            $"in {outcome.Elapsed.TotalSeconds:0.00} s ({outcome.RowsPerSecond:N0} rows/s){afterCommit}."));
        return ExitCodes.Ok;
    }

    private static Task ReportErrorsAsync(TextWriter stderr, ImportResult outcome, string? errorsPath) =>
        ReportErrorsAsync(stderr, outcome.FirstErrors, outcome.Errors, errorsPath);

    /// <summary>The first <see cref="ShownErrors"/> rejected cells, one a line, and how many more there are (every import's report).</summary>
    internal static async Task ReportErrorsAsync(TextWriter stderr, IReadOnlyList<ImportRowError> firstErrors, long errorCount, string? errorsPath)
    {
        foreach (var e in firstErrors.Take(ShownErrors))
        {
            var value = e.Value is null ? "" : $" (value \"{Printable(e.Value)}\")";
            await stderr.WriteLineAsync($"line {e.Line}, {e.Field}: {e.Message}{value}");
        }

        if (errorCount > ShownErrors)
        {
            await stderr.WriteLineAsync(errorsPath is null
                ? $"… and {errorCount - ShownErrors:N0} more; write them all with --errors FILE."
                : $"… and {errorCount - ShownErrors:N0} more in {errorsPath}.");
        }
    }

    private static string Printable(string value) =>
        string.Concat(value.Select(c => char.IsControl(c) || Platform.TextInput.IsBidiControl(c) ? $"\\u{(int)c:X4}" : c.ToString()));

    /// <summary>A progress bar on a terminal; plain lines every few seconds otherwise (logs, pipes, CI).</summary>
    private static async Task ShowProgressAsync(TextWriter stderr, Task import, ImportProgress progress)
    {
        var started = TimeProvider.System.GetTimestamp();
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
                        task.Description = Markup.Escape(Describe(progress, started));
                    }

                    task.Value = task.MaxValue;
                    task.Description = Markup.Escape(Describe(progress, started));
                });
            return;
        }

        while (!import.IsCompleted)
        {
            if (await Task.WhenAny(import, Task.Delay(TimeSpan.FromSeconds(5))) != import)
            {
                await stderr.WriteLineAsync(Describe(progress, started));
            }
        }
    }

    private static string Describe(ImportProgress progress, long started)
    {
        var seconds = TimeProvider.System.GetElapsedTime(started).TotalSeconds;
        var rate = seconds > 0 ? progress.RowsWritten / seconds : 0;
        return string.Create(CultureInfo.InvariantCulture,
            $"{progress.RowsRead:N0} rows read, {progress.RowsWritten:N0} written ({rate:N0} rows/s)");
    }
}
