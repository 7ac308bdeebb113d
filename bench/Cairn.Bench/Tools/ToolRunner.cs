using System.Diagnostics;
using System.Globalization;

namespace Cairn.Bench.Tools;

/// <summary>
/// Runs a program under GNU time (/usr/bin/time) for its CPU time and peak resident set, timing the wall clock here.
/// Output goes to a log file per invocation; a non-zero exit fails the benchmark with the log's tail.
/// </summary>
internal sealed class ToolRunner(IReadOnlyDictionary<string, string> environment, string logFolder)
{
    public const string GnuTime = "/usr/bin/time";

    private int _sequence;

    public async Task<Measurement> MeasureAsync(ToolCommand command, string label, CancellationToken cancellationToken)
    {
        var timeFile = Path.Combine(logFolder, $"{Interlocked.Increment(ref _sequence):D3}-{label}.time");
        var result = await RunAsync(GnuTime, ["-f", "%e %U %S %M", "-o", timeFile, command.FileName, .. command.Arguments], command.WorkingDirectory, label, cancellationToken).ConfigureAwait(false);
        var fields = (await File.ReadAllLinesAsync(timeFile, cancellationToken).ConfigureAwait(false))
            .Last(l => !string.IsNullOrWhiteSpace(l))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var user = double.Parse(fields[1], CultureInfo.InvariantCulture);
        var system = double.Parse(fields[2], CultureInfo.InvariantCulture);
        return new Measurement(result.WallSeconds, user + system, user, system, long.Parse(fields[3], CultureInfo.InvariantCulture) * 1024);
    }

    /// <summary>Runs without measuring (init, version); returns standard output.</summary>
    public async Task<string> RunAsync(ToolCommand command, string label, CancellationToken cancellationToken) =>
        (await RunAsync(command.FileName, command.Arguments, command.WorkingDirectory, label, cancellationToken).ConfigureAwait(false)).Output;

    private async Task<(double WallSeconds, string Output)> RunAsync(string fileName, IReadOnlyList<string> arguments, string? workingDirectory, string label, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? logFolder,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // The tools read their passwords and caches from here; nothing from the caller's own repositories leaks in.
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("RESTIC_", StringComparison.Ordinal) || k.StartsWith("CAIRN_", StringComparison.Ordinal) || k.StartsWith("BORG_", StringComparison.Ordinal)).ToArray())
        {
            start.Environment.Remove(name);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        var log = Path.Combine(logFolder, $"{Interlocked.Increment(ref _sequence):D3}-{label}.log");
        var stopwatch = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{fileName} did not start");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        var wall = stopwatch.Elapsed.TotalSeconds;
        var output = await stdout.ConfigureAwait(false);
        var errors = await stderr.ConfigureAwait(false);
        await File.WriteAllTextAsync(log, $"$ {fileName} {string.Join(' ', arguments)}\n{output}\n--- stderr ---\n{errors}", cancellationToken).ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            var tail = string.Join('\n', errors.Split('\n').TakeLast(15));
            throw new BenchmarkException($"{label}: `{fileName} {string.Join(' ', arguments)}` exited with {process.ExitCode} (log {log}):\n{tail}");
        }

        return (wall, output);
    }
}

/// <summary>One timed program run: wall and CPU seconds, peak resident set in bytes.</summary>
internal sealed record Measurement(double WallSeconds, double CpuSeconds, double UserSeconds, double SystemSeconds, long PeakRssBytes);

/// <summary>A failure that stops the benchmark with a message for the user (a tool failed, a restore differs).</summary>
internal sealed class BenchmarkException(string message) : Exception(message);
