using System.CommandLine;
using System.Globalization;
using Promoter.Distribution.Batches;
using Promoter.Platform;
using Spectre.Console;

namespace Promoter.Cli;

/// <summary>
/// <c>promoter send --survey S --workspace W [--filter "locale=sv&amp;property=plan:gold"]</c>: a one-off batch send.
/// The job is stored first; this process then works through it (or follows the server node that leased it) with a progress bar.
/// </summary>
internal static class SendCommand
{
    public static Command Create()
    {
        var survey = new Option<string>("--survey") { Description = "Id of the survey to send.", Required = true };
        var workspace = new Option<string>("--workspace") { Description = "Workspace name or id.", Required = true };
        var filter = new Option<string?>("--filter")
        {
            Description = "Which contacts, as in the dashboard's URL: email=, name=, locale=, property=NAME:VALUE, createdFrom=, createdTo= " +
                          "joined by '&', e.g. \"locale=sv&property=plan:gold\". Default: every contact with an email address.",
        };
        var name = new Option<string?>("--name") { Description = "A name for the send, shown in the dashboard." };
        var noWait = new Option<bool>("--no-wait") { Description = "Store the send and return; the server's workers send it." };
        var command = new Command("send", "Send a survey once to a filtered set of contacts (thousands at once): invitations are created in " +
                                          "chunks, each chunk in one transaction, and mailed by the outbox; throttled and unsubscribed people are recorded, not mailed.")
        {
            survey, workspace, filter, name, noWait,
        };
        command.SetAction(async (result, ct) =>
        {
            if (!Guid.TryParse(result.GetRequiredValue(survey), out var surveyId))
            {
                throw new CliException("--survey takes a survey id (a GUID, as shown by the API or the dashboard).", ExitCodes.Usage);
            }

            var errors = new FieldErrors();
            var contactFilter = BatchSendRunner.ParseFilter(result.GetValue(filter) ?? "", errors);
            if (errors.Any)
            {
                throw new CliException("--filter: " + string.Join(" ", errors.All.Select(e => $"{e.Field}: {e.Message}")), ExitCodes.Usage);
            }

            await using var host = await CliHost.StartAsync(ct);
            BatchJob job;
            Guid workspaceId;
            await using (var scope = host.CreateScope())
            {
                workspaceId = (await WorkspaceCommands.EnterAsync(scope.ServiceProvider, result.GetRequiredValue(workspace), ct)).Id;
                job = await scope.ServiceProvider.GetRequiredService<BatchSends>().StartAsync(surveyId, result.GetValue(name), contactFilter, ct);
            }

            var stdout = result.Out();
            await stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"Batch send {job.Id}: {job.Planned:N0} contacts."));
            if (result.GetValue(noWait))
            {
                return ExitCodes.Ok;
            }

            var runner = host.Services.GetRequiredService<BatchSendRunner>();
            var started = TimeProvider.System.GetTimestamp();
            var last = job;
            var run = runner.RunToEndAsync(job.Id, workspaceId, j => Volatile.Write(ref last, j), ct);
            await ShowProgressAsync(result.Err(), run, () => Volatile.Read(ref last));
            var status = await run;
            var final = Volatile.Read(ref last);
            var seconds = TimeProvider.System.GetElapsedTime(started).TotalSeconds;
            if (status == BatchJobStatus.Failed)
            {
                await result.Err().WriteLineAsync($"error: the send stopped: {final.Error}");
                return ExitCodes.Failed;
            }

            if (status == BatchJobStatus.Cancelled)
            {
                await result.Err().WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"error: the send was cancelled after {final.Queued:N0} invitations; those not yet mailed were cancelled."));
                return ExitCodes.Failed;
            }

            await stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"Queued {final.Queued:N0} invitations, {final.Skipped:N0} recorded as throttled or suppressed, in {seconds:0.00} s; the outbox mails them."));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static async Task ShowProgressAsync(TextWriter stderr, Task run, Func<BatchJob> current)
    {
        if (ReferenceEquals(stderr, Console.Error) && !Console.IsErrorRedirected)
        {
            var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
            await console.Progress().AutoClear(false)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                .StartAsync(async ctx =>
                {
                    var task = ctx.AddTask("Inviting", maxValue: Math.Max(1, current().Planned));
                    while (!run.IsCompleted)
                    {
                        await Task.WhenAny(run, Task.Delay(100));
                        var job = current();
                        task.Value = job.Queued + job.Skipped;
                        task.Description = Markup.Escape(Describe(job));
                    }

                    task.Value = task.MaxValue;
                    task.Description = Markup.Escape(Describe(current()));
                });
            return;
        }

        while (!run.IsCompleted)
        {
            if (await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(5))) != run)
            {
                await stderr.WriteLineAsync(Describe(current()));
            }
        }
    }

    private static string Describe(BatchJob job) =>
        string.Create(CultureInfo.InvariantCulture, $"{job.Queued + job.Skipped:N0}/{job.Planned:N0} contacts ({job.Queued:N0} queued, {job.Skipped:N0} skipped)");
}
