namespace Cairn.Cli.Tests.Infrastructure;

/// <summary>
/// The real restic binary (the judge of every byte cairn writes) against one repository, without a cache;
/// <paramref name="extraEnvironment"/> adds variables to every run (e.g. an s3: repository's credentials).
/// </summary>
public sealed class ResticCli(string repository, string password = CairnCli.DefaultPassword, IReadOnlyDictionary<string, string>? extraEnvironment = null)
{
    public string Repository => repository;

    public Task<ProgramResult> RunAsync(params string[] arguments) => RunInAsync(null, arguments);

    /// <summary>restic args... run in <paramref name="workingDirectory"/> (the system's temp folder when null).</summary>
    public Task<ProgramResult> RunInAsync(string? workingDirectory, params string[] arguments) =>
        ProgramRunner.RunAsync(
            "restic",
            ["--no-cache", .. arguments],
            new Dictionary<string, string>(extraEnvironment ?? new Dictionary<string, string>())
            {
                ["RESTIC_REPOSITORY"] = repository,
                ["RESTIC_PASSWORD"] = password,
            },
            workingDirectory,
            cancellationToken: TestContext.Current.CancellationToken);
}
