using System.Diagnostics;
using System.Text;

namespace Cairn.Robustness.Tests.Infrastructure;

/// <summary>How a program ended: its exit code and everything it wrote.</summary>
public sealed record ProgramResult(string Command, int ExitCode, string Output, string Error)
{
    public ProgramResult EnsureSuccess() => ExitCode == 0
        ? this
        : throw new InvalidOperationException($"`{Command}` exited with {ExitCode}\n{Output}\n{Error}\n(seed {RobustnessSettings.Seed})");

    public override string ToString() => $"`{Command}` exited with {ExitCode}\nstdout:\n{Output}\nstderr:\n{Error}";
}

/// <summary>A program started and still running: it can be waited for or killed with SIGKILL.</summary>
public sealed class RunningProgram : IDisposable
{
    private readonly Process _process;
    private readonly Task<string> _output;
    private readonly Task<string> _error;

    internal RunningProgram(Process process, string command)
    {
        _process = process;
        Command = command;
        _output = process.StandardOutput.ReadToEndAsync();
        _error = process.StandardError.ReadToEndAsync();
        process.StandardInput.Close();
    }

    public string Command { get; }

    public bool HasExited => _process.HasExited;

    /// <summary>SIGKILL, as <c>kill -9</c>: no handler runs, nothing is flushed or cleaned up. False when it had already ended.</summary>
    public bool KillHard()
    {
        if (_process.HasExited)
        {
            return false;
        }

        try
        {
            _process.Kill(entireProcessTree: false);
            return true;
        }
        catch (InvalidOperationException)
        {
            return false; // ended between the check and the signal
        }
    }

    public async Task<ProgramResult> WaitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            KillHard();
            await _process.WaitForExitAsync();
            throw new TimeoutException($"`{Command}` did not finish within {timeout.TotalSeconds} s (seed {RobustnessSettings.Seed})");
        }

        return new ProgramResult(Command, _process.ExitCode, await _output, await _error);
    }

    public void Dispose()
    {
        KillHard();
        _process.Dispose();
    }
}

/// <summary>Starts real programs with an environment the test controls (PATH and LANG inherited, HOME a scratch folder).</summary>
public static class Programs
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(5);

    public static RunningProgram Start(string file, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
            WorkingDirectory = workingDirectory ?? Path.GetTempPath(),
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment.Clear();
        start.Environment["PATH"] = Environment.GetEnvironmentVariable("PATH") ?? "/usr/local/bin:/usr/bin:/bin";
        start.Environment["HOME"] = Path.GetTempPath();
        start.Environment["LANG"] = "C.UTF-8";
        start.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        var command = string.Join(' ', [file, .. start.ArgumentList]);
        var process = Process.Start(start) ?? throw new InvalidOperationException($"{file} did not start");
        return new RunningProgram(process, command);
    }

    public static async Task<ProgramResult> RunAsync(string file, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null, TimeSpan? timeout = null)
    {
        using var program = Start(file, arguments, environment);
        return await program.WaitAsync(timeout ?? DefaultTimeout);
    }

    /// <summary>The native cairn under test: CAIRN_TEST_CLI, else <c>artifacts/cairn/cairn</c> of this checkout.</summary>
    public static string Cairn { get; } = FindCairn();

    private static string FindCairn()
    {
        if (Environment.GetEnvironmentVariable("CAIRN_TEST_CLI") is { Length: > 0 } configured)
        {
            return Path.GetFullPath(configured);
        }

        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Cairn.slnx")))
            {
                var candidate = Path.Combine(folder.FullName, "artifacts", "cairn", "cairn");
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        throw new InvalidOperationException("the robustness tier kills the native cairn: set CAIRN_TEST_CLI or run `dotnet publish src/Cairn.Cli -c Release -r linux-x64 -o artifacts/cairn`");
    }

    /// <summary>The checkout's root folder (where Cairn.slnx is).</summary>
    public static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Cairn.slnx")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException("Cairn.slnx not found above " + AppContext.BaseDirectory);
    }
}
