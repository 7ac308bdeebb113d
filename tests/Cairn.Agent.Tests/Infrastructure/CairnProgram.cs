using System.Diagnostics;

namespace Cairn.Agent.Tests.Infrastructure;

/// <summary>
/// The real cairn program: the native executable CAIRN_TEST_CLI names (test.sh sets it to the Native AOT build), else
/// cairn.dll from this test's output folder run by the dotnet host.
/// </summary>
internal sealed class CairnProgram : IDisposable
{
    private readonly Process _process;
    private readonly Task<string> _stdout;
    private readonly Task<string> _stderr;

    private CairnProgram(Process process)
    {
        _process = process;
        _stdout = process.StandardOutput.ReadToEndAsync();
        _stderr = process.StandardError.ReadToEndAsync();
    }

    public int ProcessId => _process.Id;

    public static CairnProgram Start(params string[] arguments) => StartWith(new Dictionary<string, string>(), arguments);

    /// <summary>Starts it with <paramref name="environment"/> added to this process's environment.</summary>
    public static CairnProgram StartWith(IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var native = Environment.GetEnvironmentVariable("CAIRN_TEST_CLI") is { Length: > 0 } path ? Path.GetFullPath(path) : null;
        var start = new ProcessStartInfo(native ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in native is null ? [Path.Combine(AppContext.BaseDirectory, "cairn.dll"), .. arguments] : arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["CAIRN_TEST_KDF"] = "fast";
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        return new CairnProgram(Process.Start(start)!);
    }

    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(params string[] arguments)
    {
        using var program = Start(arguments);
        return await program.WaitAsync();
    }

    public async Task<(int ExitCode, string Stdout, string Stderr)> WaitAsync()
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await _process.WaitForExitAsync(limit.Token);
        return (_process.ExitCode, await _stdout, await _stderr);
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }
}
