using System.Diagnostics;
using System.Text;

namespace Cairn.Cli.Tests.Infrastructure;

/// <summary>Runs a program with an environment the test controls entirely (only PATH is inherited).</summary>
public static class ProgramRunner
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    public static Task<ProgramResult> RunAsync(
        string fileName,
        IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string> environment,
        string? workingDirectory = null,
        string? standardInput = null,
        CancellationToken cancellationToken = default) =>
        Start(fileName, arguments, environment, workingDirectory, standardInput, cancellationToken).Completion;

    /// <summary>Starts the program and returns at once, for tests that act on it while it runs (signals).</summary>
    public static RunningProgram Start(
        string fileName,
        IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string> environment,
        string? workingDirectory = null,
        string? standardInput = null,
        CancellationToken cancellationToken = default)
    {
        var start = new ProcessStartInfo(fileName)
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
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        var command = string.Join(' ', [fileName, .. start.ArgumentList]);
        var process = Process.Start(start) ?? throw new InvalidOperationException($"{fileName} did not start");
        return new RunningProgram(process.Id, WaitAsync(process, command, standardInput, cancellationToken));
    }

    private static async Task<ProgramResult> WaitAsync(Process process, string command, string? standardInput, CancellationToken cancellationToken)
    {
        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
            if (standardInput is not null)
            {
                await process.StandardInput.WriteAsync(standardInput.AsMemory(), cancellationToken);
            }

            process.StandardInput.Close();
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(Timeout);
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"`{command}` did not finish within {Timeout.TotalSeconds} s");
            }

            return new ProgramResult(command, process.ExitCode, await stdout, await stderr);
        }
    }
}

/// <summary>A program started by <see cref="ProgramRunner.Start"/>: its process ID and how it will end.</summary>
public sealed record RunningProgram(int ProcessId, Task<ProgramResult> Completion);
