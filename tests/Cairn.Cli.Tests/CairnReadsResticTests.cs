using Cairn.Cli.Tests.Infrastructure;
using Cairn.Testing.Trees;

namespace Cairn.Cli.Tests;

/// <summary>Issue 2, second must-show: cairn restores what restic wrote, into a repository restic created itself.</summary>
public sealed class CairnReadsResticTests : IDisposable
{
    private readonly Workspace _workspace = new("cairn-reads-restic-");

    public void Dispose() => _workspace.Dispose();

    [Fact]
    public async Task Cairn_restores_a_snapshot_restic_made_equal_to_its_source()
    {
        var (source, _) = _workspace.BuildSample(seed: 21);
        (await _workspace.Restic.RunAsync("init")).ShouldSucceed();
        (await _workspace.Restic.RunAsync("backup", source.ToString())).ShouldSucceed();
        var target = _workspace.Scratch.Combine("restored-by-cairn");

        (await _workspace.Cairn.RunAsync("restore", "latest", "--target", target)).ShouldSucceed();

        TreeComparer.Differences(source, Workspace.Restored(target, source)).Should().BeEmpty();
    }
}
