using Cairn.Testing.Processes;

namespace Cairn.Agent.Tests.Infrastructure;

/// <summary>The real cairn program (<see cref="Testing.Processes.CairnProgram"/>) for the agent's verbs.</summary>
internal static class CairnProgram
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(2);

    public static RunningProgram Start(params string[] arguments) => RunningProgram.Start(Testing.Processes.CairnProgram.Start(arguments) with { Timeout = Limit });

    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(params string[] arguments)
    {
        var result = await Programs.RunAsync(Testing.Processes.CairnProgram.Start(arguments) with { Timeout = Limit });
        return (result.ExitCode, result.Stdout, result.Stderr);
    }
}
