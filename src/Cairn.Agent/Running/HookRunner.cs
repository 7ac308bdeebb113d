using System.Diagnostics;

namespace Cairn.Agent.Running;

/// <summary>Runs a plan's pre or post command with <c>/bin/sh -c</c>, killed when it outlives its time-out.</summary>
public static class HookRunner
{
    /// <summary>Null when the command succeeded, else what went wrong in plain words.</summary>
    public static async Task<string?> RunAsync(string name, string command, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("/bin/sh", ["-c", command])
        {
            UseShellExecute = false,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{name} could not start");
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(limit.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            cancellationToken.ThrowIfCancellationRequested();
            return $"{name} did not finish within {timeout.TotalSeconds:0} s and was stopped";
        }

        _ = await stdout.ConfigureAwait(false);
        var errors = (await stderr.ConfigureAwait(false)).Trim();
        if (process.ExitCode == 0)
        {
            return null;
        }

        var tail = errors.Length > 500 ? errors[^500..] : errors;
        return $"{name} failed with exit code {process.ExitCode}{(tail.Length > 0 ? ": " + tail : "")}";
    }
}
