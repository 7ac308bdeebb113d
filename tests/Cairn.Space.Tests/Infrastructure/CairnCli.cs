using System.Diagnostics;

namespace Cairn.Space.Tests.Infrastructure;

/// <summary>
/// The cairn CLI built with the tests (cairn.dll beside them), or the native executable that CAIRN_TEST_CLI names
/// (e.g. the Native AOT build), run as a real process against a repository URL with the test password or <c>password</c>.
/// </summary>
public sealed class CairnCli(string repositoryUrl, string password = Restic.Password)
{
    private static readonly string? s_native =
        Environment.GetEnvironmentVariable("CAIRN_TEST_CLI") is { Length: > 0 } path ? Path.GetFullPath(path) : null;

    public async Task<Restic.Result> RunAsync(params string[] arguments)
    {
        var info = new ProcessStartInfo(s_native ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (s_native is null)
        {
            info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "cairn.dll"));
        }

        info.ArgumentList.Add("-r");
        info.ArgumentList.Add(repositoryUrl);
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment["CAIRN_PASSWORD"] = password;
        info.Environment["CAIRN_TEST_KDF"] = "fast";
        using var process = Process.Start(info) ?? throw new InvalidOperationException("cairn did not start");
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var error = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        return new Restic.Result(process.ExitCode, await output, await error);
    }
}
