using System.Diagnostics;

namespace Cairn.Repository.Tests.Crypto;

/// <summary>Runs the real restic binary (installed by test.sh) against a local repository directory.</summary>
internal sealed class ResticCommand(string repository, string password)
{
    public string Repository { get; } = repository;

    public async Task<string> RunInAsync(string workingDirectory, params string[] arguments)
    {
        var start = new ProcessStartInfo("restic")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        start.ArgumentList.Add("--repo");
        start.ArgumentList.Add(Repository);
        start.ArgumentList.Add("--no-cache");
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["RESTIC_PASSWORD"] = password;
        using var process = Process.Start(start) ?? throw new InvalidOperationException("restic did not start.");
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"restic {string.Join(' ', arguments)} exited with {process.ExitCode}: {await stderr}");
        }

        return await stdout;
    }

    public Task<string> RunAsync(params string[] arguments) => RunInAsync(Path.GetDirectoryName(Repository)!, arguments);
}
