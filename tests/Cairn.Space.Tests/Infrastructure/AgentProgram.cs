using Cairn.Testing.Processes;

namespace Cairn.Space.Tests.Infrastructure;

/// <summary>
/// The real cairn, for the agent's verbs against a test Space: the kit's <see cref="CairnProgram"/> (the native
/// executable CAIRN_TEST_CLI names, else cairn.dll beside the tests), the agent run as a <see cref="RunningProgram"/> that logs to a file.
/// </summary>
public static class AgentProgram
{
    /// <summary>Runs cairn to its end (at most a minute); the caller checks the exit code.</summary>
    public static Task<ProgramResult> RunAsync(params string[] arguments)
        => Programs.RunAsync(ProgramStart.Of(Resolved(), CairnProgram.Arguments(arguments)) with { Timeout = TimeSpan.FromMinutes(1) });

    /// <summary>Starts a long-running cairn (the agent) logging to <paramref name="log"/>, killed after 8 minutes at most.</summary>
    public static RunningProgram Start(string log, params string[] arguments) => Start(log, new Dictionary<string, string>(), arguments);

    public static RunningProgram Start(string log, IReadOnlyDictionary<string, string> environment, params string[] arguments)
        => RunningProgram.Start(ProgramStart.Of(Resolved(), CairnProgram.Arguments(arguments)) with
        {
            LogPath = log,
            Timeout = TimeSpan.FromMinutes(8),
            Environment = environment.ToDictionary(e => e.Key, e => (string?)e.Value),
        });

    /// <summary>The program to start; fails, never skips, when neither the native cairn nor cairn.dll is there.</summary>
    private static string Resolved()
    {
        var missing = CairnProgram.Native is { } native ? (File.Exists(native) ? null : native) : (File.Exists(CairnProgram.Dll) ? null : CairnProgram.Dll);
        return missing is null
            ? CairnProgram.File
            : throw new InvalidOperationException($"these tests run the real cairn agent and {missing} does not exist: set CAIRN_TEST_CLI to the published cairn "
                + "(dotnet publish src/Cairn.Cli -c Release -r linux-x64 -o artifacts/cairn) or build it beside the tests");
    }
}
