using System.CommandLine;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Promoter.Data;
using Promoter.Metrics;
using Promoter.Metrics.Export;
using Spectre.Console;

namespace Promoter.Cli;

internal static class ExportCommand
{
    public static Command Create()
    {
        var survey = new Option<Guid>("--survey") { Description = "Survey id.", Required = true };
        var from = new Option<string?>("--from") { Description = "First day, yyyy-MM-dd in the workspace's time zone." };
        var to = new Option<string?>("--to") { Description = "Last day, yyyy-MM-dd (inclusive)." };
        var format = new Option<string>("--format") { Description = "csv or xlsx.", DefaultValueFactory = _ => "csv" };
        format.AcceptOnlyFromAmong("csv", "xlsx");
        var output = new Option<FileInfo>("--output", "-o") { Description = "File to write.", Required = true };
        var responses = new Command("responses", "Export a survey's responses (spreadsheet-safe CSV or XLSX), streamed.") { survey, from, to, format, output };
        responses.SetAction(async (result, ct) =>
        {
            await using var host = await CliHost.StartAsync(ct);
            await using var scope = host.CreateScope();
            var surveyId = result.GetValue(survey);
            var workspaceIds = await Accounts.CrossWorkspaceQueries.WorkspaceOfSurvey(scope.ServiceProvider.GetRequiredService<PromoterDb>(), surveyId).ToListAsync(ct);
            var workspaceId = workspaceIds.Count == 1 ? workspaceIds[0] : throw new CliException($"No survey with id {surveyId}.");
            scope.ServiceProvider.GetRequiredService<WorkspaceContext>().Enter(workspaceId);
            var query = new Microsoft.AspNetCore.Http.QueryCollection(new Dictionary<string, Microsoft.Extensions.Primitives.StringValues>
            {
                ["from"] = result.GetValue(from) ?? default(Microsoft.Extensions.Primitives.StringValues),
                ["to"] = result.GetValue(to) ?? default(Microsoft.Extensions.Primitives.StringValues),
            }.Where(p => p.Value.Count > 0).ToDictionary());
            var errors = new Platform.FieldErrors();
            var filter = (await MetricsQuery.ParseAsync(query, [surveyId], scope.ServiceProvider.GetRequiredService<PromoterDb>(), errors, [], ct)).Filter;
            errors.ThrowIfAny();
            var exporter = scope.ServiceProvider.GetRequiredService<ResponseExporter>();
            var path = result.GetRequiredValue(output).FullName;
            var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
            long written = 0;
            await console.Progress().AutoClear(true).StartAsync(async progress =>
            {
                var task = progress.AddTask("Exporting responses", autoStart: true, maxValue: double.MaxValue);
                task.IsIndeterminate = true;
                var report = new Progress<long>(n => task.Description = $"Exporting responses ({n:N0})");
                await using var file = File.Create(path);
                if (result.GetValue(format) == "xlsx")
                {
                    written = await exporter.WriteXlsxAsync(file, filter, report, ct);
                }
                else
                {
                    await using var writer = new StreamWriter(file, new UTF8Encoding(true), 1 << 16);
                    written = await exporter.WriteCsvAsync(writer, filter, report, ct);
                }
            });
            await result.Out().WriteLineAsync($"Exported {written:N0} responses to {path}");
            return ExitCodes.Ok;
        });
        return new Command("export", "Export data.") { responses };
    }
}
