using Cairn.Testing.Processes;

namespace Cairn.Repository.Tests.Crypto;

/// <summary>Runs the real restic binary (installed by test.sh) against a local repository directory.</summary>
internal sealed class ResticCommand(string repository, string password)
{
    public string Repository { get; } = repository;

    public async Task<string> RunInAsync(string workingDirectory, params string[] arguments)
    {
        var start = ProgramStart.Of("restic", ["--repo", Repository, "--no-cache", .. arguments]) with
        {
            WorkingDirectory = workingDirectory,
            Environment = new Dictionary<string, string?> { ["RESTIC_PASSWORD"] = password },
        };
        return (await Programs.RunAsync(start, TestContext.Current.CancellationToken)).EnsureSuccess().Stdout;
    }

    public Task<string> RunAsync(params string[] arguments) => RunInAsync(Path.GetDirectoryName(Repository)!, arguments);
}
