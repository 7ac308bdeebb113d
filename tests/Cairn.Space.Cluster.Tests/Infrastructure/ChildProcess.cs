using System.Collections.Concurrent;
using System.Diagnostics;

namespace Cairn.Space.Cluster.Tests.Infrastructure;

/// <summary>
/// A server the cluster tests start (a Space replica, haproxy, nginx): its output kept (and written to a log file)
/// for failure messages, killed with SIGKILL when its time-out passes, when it is disposed, and when the test host
/// exits, so no test leaves a process behind.
/// </summary>
public sealed class ChildProcess : IAsyncDisposable
{
    private static readonly ConcurrentDictionary<ChildProcess, byte> s_running = new();

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();
    private readonly StreamWriter _log;
    private readonly CancellationTokenSource _timeout = new();
    private bool _closed;

    static ChildProcess()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            foreach (var child in s_running.Keys)
            {
                child.Kill();
            }
        };
    }

    private ChildProcess(string name, Process process, string logPath)
    {
        Name = name;
        _process = process;
        _log = new StreamWriter(logPath, append: true) { AutoFlush = true };
    }

    public string Name { get; }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>Everything the process wrote to standard output and error, in order.</summary>
    public string Output => string.Join('\n', _output);

    public IReadOnlyCollection<string> Lines => _output;

    /// <summary>Starts <paramref name="start"/>, which must redirect both output streams; <paramref name="timeout"/> bounds its whole life.</summary>
    public static ChildProcess Start(string name, ProcessStartInfo start, string logPath, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(start);
        start.UseShellExecute = false;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var child = new ChildProcess(name, process, logPath);
        process.OutputDataReceived += (_, e) => child.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => child.Keep(e.Data);
        if (!process.Start())
        {
            throw new InvalidOperationException($"{name} did not start ({start.FileName})");
        }

        s_running[child] = 0;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        child._timeout.CancelAfter(timeout);
        child._timeout.Token.Register(child.Kill);
        return child;
    }

    /// <summary>SIGKILL: no shutdown, no flush, as a crashed machine.</summary>
    public void Kill()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // Never started or already gone.
        }
    }

    public async Task KillAndWaitAsync()
    {
        Kill();
        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _process.WaitForExitAsync(wait.Token);
    }

    public async ValueTask DisposeAsync()
    {
        await KillAndWaitAsync();
        s_running.TryRemove(this, out _);
        _timeout.Dispose();
        _process.Dispose();
        lock (_log)
        {
            _closed = true;
            _log.Dispose();
        }
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        _output.Enqueue(line);
        lock (_log)
        {
            if (!_closed)
            {
                _log.WriteLine(line);
            }
        }
    }
}
