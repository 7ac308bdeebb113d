using System.Text;

namespace Cairn.Cli.Tests.Infrastructure;

/// <summary>Runs a program with an environment the test controls entirely (only PATH is inherited), on the kit's runner.</summary>
public static class ProgramRunner
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    public static Task<ProgramResult> RunAsync(
        string fileName,
        IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string> environment,
        string? workingDirectory = null,
        string? standardInput = null,
        CancellationToken cancellationToken = default) =>
        Programs.RunAsync(Describe(fileName, arguments, environment, workingDirectory, standardInput), cancellationToken);

    /// <summary>Starts the program and returns at once, for tests that act on it while it runs (signals).</summary>
    public static RunningProgram Start(
        string fileName,
        IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string> environment,
        string? workingDirectory = null,
        string? standardInput = null,
        CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return RunningProgram.Start(Describe(fileName, arguments, environment, workingDirectory, standardInput));
    }

    private static ProgramStart Describe(string fileName, IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment,
        string? workingDirectory, string? standardInput) =>
        ProgramStart.Of(fileName, arguments) with
        {
            Isolated = true,
            Environment = environment.ToDictionary(e => e.Key, e => (string?)e.Value),
            WorkingDirectory = workingDirectory,
            StandardInput = standardInput is null ? null : Encoding.UTF8.GetBytes(standardInput),
            Timeout = Timeout,
        };
}
