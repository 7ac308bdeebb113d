using System.Diagnostics;

namespace Cairn.Space.Tests.Infrastructure;

/// <summary>
/// A program a test starts and must not outlive it (sshd, tcpdump): its output goes to a log file, it is killed when
/// its time-out passes or it is disposed. <see cref="RunAsync"/> runs a short command to its end instead.
/// </summary>
public sealed class TimedProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly CancellationTokenSource _timeout;
    private readonly Task _copying;

    private TimedProcess(Process process, string logPath, TimeSpan timeout)
    {
        _process = process;
        LogPath = logPath;
        _timeout = new CancellationTokenSource(timeout);
        _timeout.Token.Register(Kill);
        var log = new StreamWriter(logPath, append: true) { AutoFlush = true };
        _copying = Task.WhenAll(CopyAsync(process.StandardOutput, log), CopyAsync(process.StandardError, log))
            .ContinueWith(_ => log.Dispose(), TaskScheduler.Default);
    }

    public string LogPath { get; }

    public bool HasExited => _process.HasExited;

    public static TimedProcess Start(string logPath, TimeSpan timeout, string program, params string[] arguments)
        => Start(logPath, timeout, new Dictionary<string, string>(), program, arguments);

    /// <summary>Starts it with <paramref name="environment"/> added to this process's environment.</summary>
    public static TimedProcess Start(string logPath, TimeSpan timeout, IReadOnlyDictionary<string, string> environment, string program, params string[] arguments)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }

        return new TimedProcess(Process.Start(info) ?? throw new InvalidOperationException($"{program} did not start"), logPath, timeout);
    }

    /// <summary>Runs a command to its end (at most a minute); throws with its output when it fails and <paramref name="check"/>.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(string program, string[] arguments, bool check = true)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"{program} did not start");
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var error = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        var said = (await output) + (await error);
        if (check && process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} failed ({process.ExitCode}): {said}");
        }

        return (process.ExitCode, said);
    }

    /// <summary>Asks it to end (SIGTERM, so tcpdump closes its capture) and waits a little, then kills it.</summary>
    public async Task StopAsync()
    {
        if (!_process.HasExited)
        {
            await RunAsync("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)], check: false);
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try
            {
                await _process.WaitForExitAsync(grace.Token);
            }
            catch (OperationCanceledException)
            {
                Kill();
            }
        }

        await _copying;
    }

    public async ValueTask DisposeAsync()
    {
        Kill();
        await _process.WaitForExitAsync(CancellationToken.None);
        await _copying;
        _process.Dispose();
        _timeout.Dispose();
    }

    private void Kill()
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
        }
    }

    private static async Task CopyAsync(StreamReader from, StreamWriter to)
    {
        var buffer = new char[4096];
        int read;
        while ((read = await from.ReadAsync(buffer)) > 0)
        {
            lock (to)
            {
                to.Write(buffer, 0, read);
            }
        }
    }
}
