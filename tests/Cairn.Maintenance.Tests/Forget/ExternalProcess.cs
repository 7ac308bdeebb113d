using Cairn.Testing.Processes;

namespace Cairn.Maintenance.Tests.Forget;

/// <summary>
/// Runs the real <c>cairn</c> (the cairn.dll built next to the tests, or the native executable that CAIRN_TEST_CLI
/// names) and the real <c>restic</c> against a local
/// repository, with the password in the environment and a low-cost KDF for repositories cairn creates.
/// </summary>
internal static class ExternalProcess
{
    public const string Password = "cairn-maintenance-test";

    public static Task<ProgramResult> CairnAsync(string repository, params string[] arguments) =>
        CairnCommandAsync(["-r", repository, .. arguments]);

    /// <summary>cairn with exactly these arguments.</summary>
    public static Task<ProgramResult> CairnCommandAsync(IEnumerable<string> arguments, CancellationToken cancellationToken = default, string password = Password) =>
        RunAsync(CairnProgram.File, CairnProgram.Arguments(arguments), cancellationToken, password);

    public static Task<ProgramResult> ResticAsync(string repository, params string[] arguments) =>
        RunAsync("restic", ["-r", repository, "--no-cache", .. arguments]);

    public static Task<ProgramResult> RunAsync(string program, IEnumerable<string> arguments, CancellationToken cancellationToken = default, string password = Password)
    {
        var start = ProgramStart.Of(program, arguments) with
        {
            Environment = new Dictionary<string, string?>
            {
                ["RESTIC_PASSWORD"] = password,
                ["CAIRN_TEST_KDF"] = "fast",
                ["CAIRN_PASSWORD"] = null,
                ["CAIRN_REPOSITORY"] = null,
                ["RESTIC_REPOSITORY"] = null,
            },
        };
        return Programs.RunAsync(start, cancellationToken);
    }
}
