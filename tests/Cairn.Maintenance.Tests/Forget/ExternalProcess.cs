using System.Diagnostics;
using System.Text;

namespace Cairn.Maintenance.Tests.Forget;

/// <summary>What a finished program printed and returned.</summary>
internal sealed record ProcessResult(int ExitCode, byte[] StdoutBytes, string Stderr)
{
    public string Stdout => Encoding.UTF8.GetString(StdoutBytes);
}

/// <summary>
/// Runs the real <c>cairn</c> (the cairn.dll built next to the tests, or the native executable that CAIRN_TEST_CLI
/// names) and the real <c>restic</c> against a local
/// repository, with the password in the environment and a low-cost KDF for repositories cairn creates.
/// </summary>
internal static class ExternalProcess
{
    public const string Password = "cairn-maintenance-test";

    public static string CairnDll => Path.Combine(AppContext.BaseDirectory, "cairn.dll");

    /// <summary>The native cairn executable from CAIRN_TEST_CLI, or null to run <see cref="CairnDll"/>.</summary>
    public static string? CairnNative { get; } =
        Environment.GetEnvironmentVariable("CAIRN_TEST_CLI") is { Length: > 0 } path ? Path.GetFullPath(path) : null;

    public static Task<ProcessResult> CairnAsync(string repository, params string[] arguments) =>
        CairnCommandAsync(["-r", repository, .. arguments]);

    /// <summary>cairn with exactly these arguments.</summary>
    public static Task<ProcessResult> CairnCommandAsync(IEnumerable<string> arguments, CancellationToken cancellationToken = default, string password = Password) =>
        CairnNative is { } native
            ? RunAsync(native, arguments, cancellationToken, password)
            : RunAsync("dotnet", [CairnDll, .. arguments], cancellationToken, password);

    public static Task<ProcessResult> ResticAsync(string repository, params string[] arguments) =>
        RunAsync("restic", ["-r", repository, "--no-cache", .. arguments]);

    public static async Task<ProcessResult> RunAsync(string program, IEnumerable<string> arguments, CancellationToken cancellationToken = default, string password = Password)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["RESTIC_PASSWORD"] = password;
        start.Environment["CAIRN_TEST_KDF"] = "fast";
        start.Environment.Remove("CAIRN_PASSWORD");
        start.Environment.Remove("CAIRN_REPOSITORY");
        start.Environment.Remove("RESTIC_REPOSITORY");
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start");
        process.StandardInput.Close();
        using var stdout = new MemoryStream();
        var copy = process.StandardOutput.BaseStream.CopyToAsync(stdout, cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        await copy;
        return new ProcessResult(process.ExitCode, stdout.ToArray(), await stderr);
    }
}
