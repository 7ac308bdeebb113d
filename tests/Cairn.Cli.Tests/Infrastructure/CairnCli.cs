namespace Cairn.Cli.Tests.Infrastructure;

/// <summary>
/// The real cairn program against one repository: cairn.dll from this test's output folder, run by the dotnet host,
/// or the native executable that CAIRN_TEST_CLI names (e.g. the Native AOT build).
/// The password goes in CAIRN_PASSWORD and new keys use cheap scrypt parameters (CAIRN_TEST_KDF=fast);
/// <paramref name="extraEnvironment"/> adds variables to every run (e.g. an s3: repository's credentials).
/// </summary>
public sealed class CairnCli(string repository, string password = CairnCli.DefaultPassword, IReadOnlyDictionary<string, string>? extraEnvironment = null)
{
    public const string DefaultPassword = "correct horse battery staple";

    public static string Dll { get; } = Path.Combine(AppContext.BaseDirectory, "cairn.dll");

    /// <summary>The native cairn executable from CAIRN_TEST_CLI, or null to run <see cref="Dll"/>.</summary>
    public static string? Native { get; } =
        System.Environment.GetEnvironmentVariable("CAIRN_TEST_CLI") is { Length: > 0 } path ? Path.GetFullPath(path) : null;

    /// <summary>The program to start: the native executable, or dotnet.</summary>
    public static string Program => Native ?? "dotnet";

    /// <summary>Program followed by these arguments runs cairn with <paramref name="arguments"/>.</summary>
    public static string[] Arguments(IEnumerable<string> arguments) => Native is null ? [Dll, .. arguments] : [.. arguments];

    /// <summary>cairn with these arguments as a command line for sh (arguments quoted with single quotes, none may contain one).</summary>
    public static string ShellCommand(params string[] arguments) =>
        string.Join(' ', new[] { Program }.Concat(Arguments(arguments)).Select(a => $"'{a}'"));

    public string Repository => repository;

    public string Password => password;

    /// <summary>The environment every run gets: the test KDF, the password and the extra variables.</summary>
    public Dictionary<string, string> Environment => new(extraEnvironment ?? new Dictionary<string, string>())
    {
        ["CAIRN_TEST_KDF"] = "fast",
        ["CAIRN_PASSWORD"] = password,
    };

    /// <summary>cairn -r repository args...</summary>
    public Task<ProgramResult> RunAsync(params string[] arguments) => RunAsync(Environment, ["-r", repository, .. arguments]);

    /// <summary>cairn -r repository args... run in <paramref name="workingDirectory"/>.</summary>
    public Task<ProgramResult> RunInAsync(string workingDirectory, params string[] arguments) =>
        ProgramRunner.RunAsync(Program, Arguments(["-r", repository, .. arguments]), Environment, workingDirectory, cancellationToken: TestContext.Current.CancellationToken);

    /// <summary>cairn with exactly this environment (plus PATH, HOME, LANG) and these arguments.</summary>
    public static Task<ProgramResult> RunAsync(IReadOnlyDictionary<string, string> environment, IEnumerable<string> arguments, string? standardInput = null) =>
        ProgramRunner.RunAsync(Program, Arguments(arguments), environment, standardInput: standardInput, cancellationToken: TestContext.Current.CancellationToken);

    /// <summary>cairn run as another user (through setpriv), so file permissions apply to it even when the tests run as root.</summary>
    public Task<ProgramResult> RunAsUserAsync(uint uid, uint gid, params string[] arguments) =>
        ProgramRunner.RunAsync(
            "setpriv",
            [$"--reuid={uid}", $"--regid={gid}", "--clear-groups", Program, .. Arguments(["-r", repository, .. arguments])],
            Environment,
            cancellationToken: TestContext.Current.CancellationToken);
}
