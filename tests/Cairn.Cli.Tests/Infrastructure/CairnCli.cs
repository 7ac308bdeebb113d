namespace Cairn.Cli.Tests.Infrastructure;

/// <summary>
/// The real cairn program (cairn.dll from this test's output folder, run by the dotnet host) against one repository.
/// The password goes in CAIRN_PASSWORD and new keys use cheap scrypt parameters (CAIRN_TEST_KDF=fast).
/// </summary>
public sealed class CairnCli(string repository, string password = CairnCli.DefaultPassword)
{
    public const string DefaultPassword = "correct horse battery staple";

    public static string Dll { get; } = Path.Combine(AppContext.BaseDirectory, "cairn.dll");

    public string Repository => repository;

    public string Password => password;

    /// <summary>The environment every run gets: the test KDF and the password.</summary>
    public Dictionary<string, string> Environment => new() { ["CAIRN_TEST_KDF"] = "fast", ["CAIRN_PASSWORD"] = password };

    /// <summary>cairn -r repository args...</summary>
    public Task<ProgramResult> RunAsync(params string[] arguments) => RunAsync(Environment, ["-r", repository, .. arguments]);

    /// <summary>cairn -r repository args... run in <paramref name="workingDirectory"/>.</summary>
    public Task<ProgramResult> RunInAsync(string workingDirectory, params string[] arguments) =>
        ProgramRunner.RunAsync("dotnet", [Dll, "-r", repository, .. arguments], Environment, workingDirectory, cancellationToken: TestContext.Current.CancellationToken);

    /// <summary>cairn with exactly this environment (plus PATH, HOME, LANG) and these arguments.</summary>
    public static Task<ProgramResult> RunAsync(IReadOnlyDictionary<string, string> environment, IEnumerable<string> arguments, string? standardInput = null) =>
        ProgramRunner.RunAsync("dotnet", [Dll, .. arguments], environment, standardInput: standardInput, cancellationToken: TestContext.Current.CancellationToken);

    /// <summary>cairn run as another user (through setpriv), so file permissions apply to it even when the tests run as root.</summary>
    public Task<ProgramResult> RunAsUserAsync(uint uid, uint gid, params string[] arguments) =>
        ProgramRunner.RunAsync(
            "setpriv",
            [$"--reuid={uid}", $"--regid={gid}", "--clear-groups", "dotnet", Dll, "-r", repository, .. arguments],
            Environment,
            cancellationToken: TestContext.Current.CancellationToken);
}
