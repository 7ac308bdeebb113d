using Cairn.Space.Tests.Infrastructure;

namespace Cairn.Space.Web.Tests.Plans;

/// <summary>
/// The real <c>cairn agent</c>, enrolled against the test Space and run as its own process: the native executable
/// CAIRN_TEST_CLI names, else the cairn.dll built beside these tests (through Cairn.Space.Tests' reference). When
/// neither is there the test fails saying so; it never skips.
/// </summary>
public sealed class CairnAgentProcess : IAsyncDisposable
{
    private readonly TimedProcess _process;

    private CairnAgentProcess(TimedProcess process, string stateDirectory)
    {
        _process = process;
        StateDirectory = stateDirectory;
    }

    public string StateDirectory { get; }

    public string LogPath => _process.LogPath;

    public bool HasExited => _process.HasExited;

    /// <summary>Enrolls with <paramref name="code"/> (the backup password from a file, as an owner would) and starts <c>cairn agent run</c>.</summary>
    public static async Task<CairnAgentProcess> EnrollAndStartAsync(Uri space, string code, string password, string scratch)
    {
        var passwordFile = Path.Combine(scratch, "password");
        await File.WriteAllTextAsync(passwordFile, password + "\n", TestContext.Current.CancellationToken);
        var state = Path.Combine(scratch, "agent-state");
        var (program, prefix) = Program();
        var enrolled = await TimedProcess.RunAsync(program,
            [.. prefix, "agent", "enroll", space.ToString(), "--code", code, "--password-file", passwordFile, "--state-dir", state], check: false);
        enrolled.ExitCode.Should().Be(0, $"cairn agent enroll succeeds: {enrolled.Output}");
        var run = TimedProcess.Start(Path.Combine(scratch, "agent.log"), TimeSpan.FromMinutes(8), program, [.. prefix, "agent", "run", "--state-dir", state]);
        return new CairnAgentProcess(run, state);
    }

    public async Task<string> LogAsync() => File.Exists(LogPath) ? await File.ReadAllTextAsync(LogPath, TestContext.Current.CancellationToken) : "";

    public async ValueTask DisposeAsync()
    {
        await _process.StopAsync();
        await _process.DisposeAsync();
    }

    private static (string Program, string[] Prefix) Program()
    {
        if (Environment.GetEnvironmentVariable("CAIRN_TEST_CLI") is { Length: > 0 } native)
        {
            var path = Path.GetFullPath(native);
            File.Exists(path).Should().BeTrue($"CAIRN_TEST_CLI names the cairn executable, and {path} does not exist");
            return (path, []);
        }

        var dll = Path.Combine(AppContext.BaseDirectory, "cairn.dll");
        File.Exists(dll).Should().BeTrue(
            $"these tests run the real cairn agent: set CAIRN_TEST_CLI to the published cairn (dotnet publish src/Cairn.Cli -c Release -r linux-x64 -o artifacts/cairn), or build it beside the tests ({dll} is missing)");
        return ("dotnet", [dll]);
    }
}
