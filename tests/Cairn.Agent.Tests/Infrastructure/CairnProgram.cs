using Cairn.Testing.Processes;

namespace Cairn.Agent.Tests.Infrastructure;

/// <summary>The real cairn program (<see cref="Testing.Processes.CairnProgram"/>) for the agent's verbs.</summary>
internal static class CairnProgram
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(2);

    public static RunningProgram Start(params string[] arguments) => StartWith(new Dictionary<string, string>(), arguments);

    /// <summary>Starts it with <paramref name="environment"/> added to this process's environment.</summary>
    public static RunningProgram StartWith(IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var start = Testing.Processes.CairnProgram.Start(arguments);
        var variables = new Dictionary<string, string?>(start.Environment);
        foreach (var (name, value) in environment)
        {
            variables[name] = value;
        }

        return RunningProgram.Start(start with { Environment = variables, Timeout = Limit });
    }

    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(params string[] arguments)
    {
        var result = await Programs.RunAsync(Testing.Processes.CairnProgram.Start(arguments) with { Timeout = Limit });
        return (result.ExitCode, result.Stdout, result.Stderr);
    }
}
