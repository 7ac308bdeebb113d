using Cairn.Testing.Processes;

namespace Cairn.Space.Tests.Infrastructure;

/// <summary>
/// A program a test starts and must not outlive it (sshd, tcpdump, the agent): its output goes to a log file, it is
/// killed when its time-out passes or it is disposed (the kit's <see cref="RunningProgram"/>).
/// <see cref="RunAsync"/> runs a short command to its end instead.
/// </summary>
public sealed class TimedProcess : IAsyncDisposable
{
    private readonly RunningProgram _program;

    private TimedProcess(RunningProgram program, string logPath)
    {
        _program = program;
        LogPath = logPath;
    }

    public string LogPath { get; }

    public bool HasExited => _program.HasExited;

    public int Id => _program.Id;

    public static TimedProcess Start(string logPath, TimeSpan timeout, string program, params string[] arguments)
        => Start(logPath, timeout, new Dictionary<string, string>(), program, arguments);

    /// <summary>Starts it with <paramref name="environment"/> added to this process's environment.</summary>
    public static TimedProcess Start(string logPath, TimeSpan timeout, IReadOnlyDictionary<string, string> environment, string program, params string[] arguments)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var start = ProgramStart.Of(program, arguments) with
        {
            LogPath = logPath,
            Timeout = timeout,
            Environment = environment.ToDictionary(e => e.Key, e => (string?)e.Value),
        };
        return new(RunningProgram.Start(start), logPath);
    }

    /// <summary>Runs a command to its end (at most a minute); throws with its output when it fails and <paramref name="check"/>.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(string program, string[] arguments, bool check = true)
    {
        var result = await Programs.RunAsync(ProgramStart.Of(program, arguments) with { Timeout = TimeSpan.FromMinutes(1) });
        if (check)
        {
            result.EnsureSuccess();
        }

        return (result.ExitCode, result.Stdout + result.Stderr);
    }

    /// <summary>Asks it to end (SIGTERM, so tcpdump closes its capture) and waits a little, then kills it.</summary>
    public Task StopAsync() => _program.StopAsync(TimeSpan.FromSeconds(5));

    public ValueTask DisposeAsync() => _program.DisposeAsync();
}
