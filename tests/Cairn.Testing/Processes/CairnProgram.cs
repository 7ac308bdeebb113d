namespace Cairn.Testing.Processes;

/// <summary>
/// The cairn program under test: the native executable CAIRN_TEST_CLI names (test.sh sets it to the Native AOT
/// build), else cairn.dll beside the test binary, run by the dotnet host.
/// </summary>
public static class CairnProgram
{
    /// <summary>The native executable, or null when the tests run cairn.dll.</summary>
    public static string? Native { get; } =
        Environment.GetEnvironmentVariable("CAIRN_TEST_CLI") is { Length: > 0 } path ? Path.GetFullPath(path) : null;

    public static string Dll => Path.Combine(AppContext.BaseDirectory, "cairn.dll");

    /// <summary>The file to start: the native cairn or dotnet.</summary>
    public static string File => Native ?? "dotnet";

    /// <summary>The arguments that make <see cref="File"/> run cairn with <paramref name="arguments"/>.</summary>
    public static IReadOnlyList<string> Arguments(params IEnumerable<string> arguments) => Native is null ? [Dll, .. arguments] : [.. arguments];

    /// <summary>cairn with <paramref name="arguments"/>; KDF parameters kept cheap for repositories it creates.</summary>
    public static ProgramStart Start(params IEnumerable<string> arguments) => new(File, Arguments(arguments))
    {
        Environment = new Dictionary<string, string?> { ["CAIRN_TEST_KDF"] = "fast" },
    };

    /// <summary>The native cairn, required (tests that kill it or time it must not measure the dotnet host).</summary>
    public static string RequireNative() => Native ?? FindPublished()
        ?? throw new InvalidOperationException("set CAIRN_TEST_CLI or run `dotnet publish src/Cairn.Cli -c Release -r linux-x64 -o artifacts/cairn`");

    private static string? FindPublished()
    {
        var candidate = Path.Combine(Programs.RepositoryRoot(), "artifacts", "cairn", "cairn");
        return System.IO.File.Exists(candidate) ? candidate : null;
    }
}
