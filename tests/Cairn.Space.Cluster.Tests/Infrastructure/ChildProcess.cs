using Cairn.Testing.Processes;

namespace Cairn.Space.Cluster.Tests.Infrastructure;

/// <summary>
/// A server the cluster tests start (a Space replica, haproxy, nginx), named for failure messages, on the kit's
/// <see cref="RunningProgram"/>: its output kept and logged, killed with SIGKILL when its time-out passes, when it is
/// disposed, and when the test host exits, so no test leaves a process behind.
/// </summary>
public sealed class ChildProcess : IAsyncDisposable
{
    private readonly RunningProgram _program;

    private ChildProcess(string name, RunningProgram program)
    {
        Name = name;
        _program = program;
    }

    public string Name { get; }

    public int Id => _program.Id;

    public bool HasExited => _program.HasExited;

    /// <summary>Everything the process wrote to standard output and error, in order.</summary>
    public string Output => _program.Output;

    /// <summary>Starts <paramref name="start"/>; <paramref name="timeout"/> bounds its whole life.</summary>
    public static ChildProcess Start(string name, ProgramStart start, string logPath, TimeSpan timeout) =>
        new(name, RunningProgram.Start(start with { LogPath = logPath, Timeout = timeout }));

    /// <summary>SIGKILL: no shutdown, no flush, as a crashed machine.</summary>
    public void Kill() => _program.KillHard();

    public async Task KillAndWaitAsync()
    {
        Kill();
        await _program.WaitAsync(TimeSpan.FromSeconds(30));
    }

    public ValueTask DisposeAsync() => _program.DisposeAsync();
}
