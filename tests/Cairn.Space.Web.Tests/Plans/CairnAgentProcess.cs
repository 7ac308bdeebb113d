using Cairn.Space.Tests.Infrastructure;
using Cairn.Testing.Processes;

namespace Cairn.Space.Web.Tests.Plans;

/// <summary>
/// The real <c>cairn agent</c>, enrolled against the test Space and run as its own process: the native executable
/// CAIRN_TEST_CLI names, else the cairn.dll built beside these tests (through Cairn.Space.Tests' reference). When
/// neither is there the test fails saying so; it never skips.
/// </summary>
public sealed class CairnAgentProcess : IAsyncDisposable
{
    private readonly RunningProgram _process;

    private CairnAgentProcess(RunningProgram process, string stateDirectory)
    {
        _process = process;
        StateDirectory = stateDirectory;
    }

    public string StateDirectory { get; }

    public string LogPath => _process.LogPath!;

    public bool HasExited => _process.HasExited;

    /// <summary>Enrolls with <paramref name="code"/> (the backup password from a file, as an owner would) and starts <c>cairn agent run</c>.</summary>
    public static async Task<CairnAgentProcess> EnrollAndStartAsync(Uri space, string code, string password, string scratch)
    {
        var passwordFile = Path.Combine(scratch, "password");
        await File.WriteAllTextAsync(passwordFile, password + "\n", TestContext.Current.CancellationToken);
        var state = Path.Combine(scratch, "agent-state");
        var enrolled = await AgentProgram.RunAsync("agent", "enroll", space.ToString(), "--code", code, "--password-file", passwordFile, "--state-dir", state);
        enrolled.ExitCode.Should().Be(0, $"cairn agent enroll succeeds: {enrolled.Output}");
        var run = AgentProgram.Start(Path.Combine(scratch, "agent.log"), "agent", "run", "--state-dir", state);
        return new CairnAgentProcess(run, state);
    }

    public async Task<string> LogAsync() => File.Exists(LogPath) ? await File.ReadAllTextAsync(LogPath, TestContext.Current.CancellationToken) : "";

    public async ValueTask DisposeAsync()
    {
        await _process.StopAsync(TimeSpan.FromSeconds(5));
        await _process.DisposeAsync();
    }
}
