using System.Diagnostics;

namespace Cairn.Storage.Tests;

/// <summary>Runs the real <c>restic</c> binary against a repository, for checking that our layout is restic's.</summary>
internal static class ResticCli
{
    public const string Password = "cairn-test-password";

    public static async Task<string> RunAsync(string repository, CancellationToken cancellationToken, params string[] arguments)
    {
        var start = new ProcessStartInfo("restic")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("--repo");
        start.ArgumentList.Add(repository);
        start.ArgumentList.Add("--no-cache");
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["RESTIC_PASSWORD"] = Password;
        using var process = Process.Start(start) ?? throw new InvalidOperationException("restic did not start");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"restic {string.Join(' ', arguments)} exited with {process.ExitCode}: {await stderr}");
        }

        return await stdout;
    }
}
