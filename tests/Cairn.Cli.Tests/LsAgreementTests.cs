using Cairn.Cli.Tests.Infrastructure;

namespace Cairn.Cli.Tests;

/// <summary>cairn ls lists the same paths as restic ls, whole or below a folder.</summary>
public sealed class LsAgreementTests : IDisposable
{
    private readonly Workspace _workspace = new("cairn-ls-");

    public void Dispose() => _workspace.Dispose();

    [Fact]
    public async Task Cairn_ls_lists_the_paths_restic_ls_lists()
    {
        var (source, _) = _workspace.BuildSample(seed: 91, small: true);
        await _workspace.InitAsync();
        var snapshot = (await _workspace.BackUpAsync(source.ToString())).GetProperty("snapshot_id").GetString()!;
        string[][] selections = [[], [source.ToString()], [$"{source}/owned"], ["--recursive", $"{source}/owned"]];

        foreach (var selection in selections)
        {
            var byCairn = Paths(await _workspace.Cairn.RunAsync(["ls", snapshot, .. selection]));
            var byRestic = Paths(await _workspace.Restic.RunAsync(["ls", snapshot, .. selection]));

            byCairn.Should().Equal(byRestic, $"ls {string.Join(' ', selection)}");
        }
    }

    /// <summary>The listed paths, without the header line; a name with a newline spans two lines in both programs.</summary>
    private static string[] Paths(ProgramResult ls) => [.. ls.ShouldSucceed().Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1)];
}
