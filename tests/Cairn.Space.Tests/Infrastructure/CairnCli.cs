using Cairn.Testing.Processes;

namespace Cairn.Space.Tests.Infrastructure;

/// <summary>
/// The cairn CLI built with the tests (cairn.dll beside them), or the native executable that CAIRN_TEST_CLI names
/// (e.g. the Native AOT build), run as a real process against a repository URL with the test password or <c>password</c>.
/// </summary>
public sealed class CairnCli(string repositoryUrl, string password = Restic.Password)
{
    public async Task<Restic.Result> RunAsync(params string[] arguments)
    {
        var start = CairnProgram.Start(["-r", repositoryUrl, .. arguments]);
        var result = await Programs.RunAsync(start with { Environment = new Dictionary<string, string?>(start.Environment) { ["CAIRN_PASSWORD"] = password } },
            TestContext.Current.CancellationToken);
        return new Restic.Result(result.ExitCode, result.Stdout, result.Stderr);
    }
}
