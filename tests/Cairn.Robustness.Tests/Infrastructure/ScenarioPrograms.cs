namespace Cairn.Robustness.Tests.Infrastructure;

/// <summary>
/// Starts real programs on the kit's runner with an environment the test controls (PATH and LANG inherited, HOME a
/// scratch folder). Each program's life is bounded; each wait is bounded again by the scenario.
/// </summary>
public static class ScenarioPrograms
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(5);

    /// <summary>The longest any program of a scenario may live, whatever its waits say.</summary>
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(30);

    public static RunningProgram Start(string file, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null, string? workingDirectory = null) =>
        RunningProgram.Start(ProgramStart.Of(file, arguments) with
        {
            Isolated = true,
            Environment = (environment ?? new Dictionary<string, string>()).ToDictionary(e => e.Key, e => (string?)e.Value),
            WorkingDirectory = workingDirectory,
            Timeout = Lifetime,
        });

    public static async Task<ProgramResult> RunAsync(string file, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null, TimeSpan? timeout = null)
    {
        using var program = Start(file, arguments, environment);
        return await program.WaitAsync(timeout ?? DefaultTimeout);
    }

    /// <summary>The native cairn under test: the robustness tier kills it, so it must not be the dotnet host.</summary>
    public static string Cairn { get; } = CairnProgram.RequireNative();

    /// <summary>The checkout's root folder (where Cairn.slnx is).</summary>
    public static string RepositoryRoot() => Programs.RepositoryRoot();
}
