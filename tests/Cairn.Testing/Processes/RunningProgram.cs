using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace Cairn.Testing.Processes;

/// <summary>
/// A program a test started: its output captured (standard output byte for byte) and optionally logged, killed
/// when its time-out passes, when it is disposed, and when the test host exits, so no test leaves a process behind.
/// </summary>
public sealed partial class RunningProgram : IAsyncDisposable, IDisposable
{
    private const int SigTerm = 15;
    private static readonly ConcurrentDictionary<RunningProgram, byte> s_running = new();

    private readonly Process _process;
    private readonly MemoryStream _stdout = new();
    private readonly StringBuilder _stderr = new();
    private readonly StringBuilder _text = new();
    private readonly StreamWriter? _log;
    private readonly CancellationTokenSource _lifetime;
    private readonly Task _reading;
    private readonly TimeSpan _timeout;
    private Task<ProgramResult>? _completion;

    static RunningProgram() => AppDomain.CurrentDomain.ProcessExit += (_, _) =>
    {
        foreach (var program in s_running.Keys)
        {
            program.KillHard();
        }
    };

    private RunningProgram(ProgramStart start, Process process)
    {
        _process = process;
        _timeout = start.Timeout;
        Command = start.CommandLine;
        LogPath = start.LogPath;
        _log = start.LogPath is { } log ? new StreamWriter(log, append: true) { AutoFlush = true } : null;
        s_running[this] = 0;
        _reading = Task.WhenAll(ReadStdoutAsync(), ReadStderrAsync(), WriteInputAsync(start.StandardInput));
        _lifetime = new CancellationTokenSource(start.Timeout);
        _lifetime.Token.Register(() => KillHard());
    }

    public string Command { get; }

    /// <summary>The file that receives its output as it comes, when its start named one.</summary>
    public string? LogPath { get; }

    /// <summary>How it ends (<see cref="WaitAsync"/>, started once), for tests that poll while it runs.</summary>
    public Task<ProgramResult> Completion => _completion ??= WaitAsync();

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>Whether the time-out killed it.</summary>
    public bool TimedOut => _lifetime.IsCancellationRequested;

    /// <summary>Everything it has written so far, both streams in the order they were read.</summary>
    public string Output
    {
        get
        {
            lock (_text)
            {
                return _text.ToString();
            }
        }
    }

    public static RunningProgram Start(ProgramStart start)
    {
        ArgumentNullException.ThrowIfNull(start);
        var info = new ProcessStartInfo(start.File)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            StandardErrorEncoding = Encoding.UTF8,
            WorkingDirectory = start.WorkingDirectory ?? Path.GetTempPath(),
        };
        foreach (var argument in start.Arguments)
        {
            info.ArgumentList.Add(argument);
        }

        if (start.Isolated)
        {
            info.Environment.Clear();
            info.Environment["PATH"] = System.Environment.GetEnvironmentVariable("PATH") ?? "/usr/local/bin:/usr/bin:/bin";
            info.Environment["HOME"] = Path.GetTempPath();
            info.Environment["LANG"] = "C.UTF-8";
            info.Environment["DOTNET_NOLOGO"] = "1";
        }

        foreach (var (name, value) in start.Environment)
        {
            if (value is null)
            {
                info.Environment.Remove(name);
            }
            else
            {
                info.Environment[name] = value;
            }
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException($"`{start.CommandLine}` did not start");
        return new RunningProgram(start, process);
    }

    /// <summary>Waits for its end; throws <see cref="TimeoutException"/> when its time-out killed it.</summary>
    public async Task<ProgramResult> WaitAsync(CancellationToken cancellationToken = default)
    {
        await _process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        await _reading.ConfigureAwait(false);
        if (TimedOut)
        {
            throw new TimeoutException($"`{Command}` did not finish within {_timeout.TotalSeconds} s\n{Output}");
        }

        byte[] stdout;
        lock (_stdout)
        {
            stdout = _stdout.ToArray();
        }

        string stderr;
        lock (_stderr)
        {
            stderr = _stderr.ToString();
        }

        return new ProgramResult(Command, _process.ExitCode, stdout, stderr);
    }

    /// <summary>Waits at most <paramref name="within"/> for its end, then kills it and throws <see cref="TimeoutException"/>.</summary>
    public async Task<ProgramResult> WaitAsync(TimeSpan within, CancellationToken cancellationToken = default)
    {
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bound.CancelAfter(within);
        try
        {
            await _process.WaitForExitAsync(bound.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            KillHard();
            await _process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            throw new TimeoutException($"`{Command}` did not finish within {within.TotalSeconds} s\n{Output}");
        }

        return await WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>True once its output shows <paramref name="text"/>; false when it ends or <paramref name="within"/> passes first.</summary>
    public async Task<bool> WaitForOutputAsync(string text, TimeSpan within, CancellationToken cancellationToken = default)
    {
        var deadline = DateTime.UtcNow + within;
        while (!Output.Contains(text, StringComparison.Ordinal))
        {
            if (_process.HasExited && _reading.IsCompleted || DateTime.UtcNow > deadline)
            {
                return Output.Contains(text, StringComparison.Ordinal);
            }

            await Task.Delay(50, cancellationToken).ConfigureAwait(false);
        }

        return true;
    }

    /// <summary>SIGKILL, as <c>kill -9</c>: no handler runs, nothing is flushed. False when it had already ended.</summary>
    public bool KillHard(bool entireTree = true)
    {
        try
        {
            if (_process.HasExited)
            {
                return false;
            }

            _process.Kill(entireTree);
            return true;
        }
        catch (InvalidOperationException)
        {
            return false; // never started, or ended between the check and the signal
        }
    }

    /// <summary>SIGKILL, as a machine that loses power, then waits (at most 30 s) until it has ended.</summary>
    public async Task KillAsync()
    {
        KillHard();
        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _process.WaitForExitAsync(wait.Token).ConfigureAwait(false);
    }

    /// <summary>Asks it to end with SIGTERM (so it can close what it writes) and kills it when <paramref name="grace"/> passes.</summary>
    public async Task StopAsync(TimeSpan grace)
    {
        if (!_process.HasExited)
        {
            _ = Kill(_process.Id, SigTerm);
            using var wait = new CancellationTokenSource(grace);
            try
            {
                await _process.WaitForExitAsync(wait.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                KillHard();
            }
        }

        await _process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        await _reading.ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        KillHard();
        using (var wait = new CancellationTokenSource(TimeSpan.FromSeconds(30)))
        {
            await _process.WaitForExitAsync(wait.Token).ConfigureAwait(false);
        }

        await _reading.ConfigureAwait(false);
        Release();
    }

    public void Dispose()
    {
        KillHard();
        _process.WaitForExit(TimeSpan.FromSeconds(30));
        _reading.Wait(TimeSpan.FromSeconds(30));
        Release();
    }

    private void Release()
    {
        s_running.TryRemove(this, out _);
        _lifetime.Dispose();
        _process.Dispose();
        lock (_text)
        {
            _log?.Dispose();
        }
    }

    private async Task ReadStdoutAsync()
    {
        var decoder = Encoding.UTF8.GetDecoder();
        var bytes = new byte[16384];
        var chars = new char[Encoding.UTF8.GetMaxCharCount(bytes.Length)];
        int read;
        while ((read = await _process.StandardOutput.BaseStream.ReadAsync(bytes).ConfigureAwait(false)) > 0)
        {
            lock (_stdout)
            {
                _stdout.Write(bytes, 0, read);
            }

            Keep(chars.AsSpan(0, decoder.GetChars(bytes, 0, read, chars, 0)));
        }
    }

    private async Task ReadStderrAsync()
    {
        var chars = new char[8192];
        int read;
        while ((read = await _process.StandardError.ReadAsync(chars).ConfigureAwait(false)) > 0)
        {
            lock (_stderr)
            {
                _stderr.Append(chars, 0, read);
            }

            Keep(chars.AsSpan(0, read));
        }
    }

    private async Task WriteInputAsync(byte[]? input)
    {
        try
        {
            if (input is not null)
            {
                await _process.StandardInput.BaseStream.WriteAsync(input).ConfigureAwait(false);
            }

            _process.StandardInput.Close();
        }
        catch (IOException)
        {
            // It ended before reading all of its input: its exit code says what happened.
        }
    }

    private void Keep(ReadOnlySpan<char> text)
    {
        lock (_text)
        {
            _text.Append(text);
            _log?.Write(text);
        }
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
