using Cairn.Testing.Processes;

namespace Cairn.Storage.Tests;

/// <summary>Runs the real <c>restic</c> binary against a repository, for checking that our layout is restic's.</summary>
internal static class ResticCli
{
    public const string Password = "cairn-test-password";

    public static async Task<string> RunAsync(string repository, CancellationToken cancellationToken, params string[] arguments)
    {
        var start = ProgramStart.Of("restic", ["--repo", repository, "--no-cache", .. arguments]) with
        {
            Environment = new Dictionary<string, string?> { ["RESTIC_PASSWORD"] = Password },
        };
        return (await Programs.RunAsync(start, cancellationToken)).EnsureSuccess().Stdout;
    }
}
