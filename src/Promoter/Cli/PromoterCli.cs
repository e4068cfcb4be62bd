using System.CommandLine;
using Promoter.Platform;

namespace Promoter.Cli;

/// <summary>Parses the command line and runs one verb. Every verb has <c>--help</c>.</summary>
public static class PromoterCli
{
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken ct = default)
    {
        var root = new RootCommand("Promoter: a self-hosted Net Promoter Score platform. Run 'promoter serve' to start the server.")
        {
            ServeCommand.Create(),
            MigrateCommand.Create(),
            WorkspaceCommands.Create(),
            UserCommands.Create(),
            ApiKeyCommands.Create(),
            NpsCommand.Create(),
            WordsCommand.Create(),
            CompareCommand.Create(),
            SchemaCommand.Create(),
            ExportCommand.Create(),
            DemoCommand.Create(),
            ImportCommands.Create(),
            SendCommand.Create(),
        };

        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors)
            {
                await stderr.WriteLineAsync(error.Message);
            }

            await stderr.WriteLineAsync("Run 'promoter --help' for usage.");
            return ExitCodes.Usage;
        }

        try
        {
            return await parsed.InvokeAsync(new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false }, ct);
        }
        catch (CliException e)
        {
            await stderr.WriteLineAsync("error: " + e.Message);
            return e.ExitCode;
        }
        catch (RequestValidationException e)
        {
            foreach (var (field, messages) in e.Errors)
            {
                await stderr.WriteLineAsync($"error: {field}: {string.Join(" ", messages)}");
            }

            return ExitCodes.Failed;
        }
        catch (DomainException e)
        {
            await stderr.WriteLineAsync("error: " + e.Message);
            return ExitCodes.Failed;
        }
        catch (OperationCanceledException)
        {
            await stderr.WriteLineAsync("cancelled");
            return ExitCodes.Failed;
        }
    }

    public static TextWriter Out(this ParseResult result) => result.InvocationConfiguration.Output;

    public static TextWriter Err(this ParseResult result) => result.InvocationConfiguration.Error;
}
