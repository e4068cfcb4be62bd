namespace Promoter.Cli;

/// <summary>0: done. 1: the command ran and failed (bad data, conflict, database down). 2: the command line was wrong.</summary>
public static class ExitCodes
{
    public const int Ok = 0;
    public const int Failed = 1;
    public const int Usage = 2;
}

/// <summary>A failure the user can fix, reported as one clear line without a stack trace.</summary>
public sealed class CliException(string message, int exitCode = ExitCodes.Failed) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}
