using Cairn.Cli.Tests.Infrastructure;
using Cairn.Testing.Trees;
using Cairn.Repository;
using Cairn.Storage;

namespace Cairn.Cli.Tests;

/// <summary>Issue 2, sixth must-show: cairn restore refuses a crafted snapshot with escaping names and writes nothing.</summary>
public sealed class UnsafeSnapshotCliTests : IDisposable
{
    private readonly Workspace _workspace = new("cairn-crafted-");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _workspace.Dispose();

    [Theory]
    [MemberData(nameof(CraftedSnapshot.Cases), MemberType = typeof(CraftedSnapshot))]
    public async Task Restore_refuses_a_snapshot_with_escaping_names_in_one_line_and_writes_nothing(string @case)
    {
        await _workspace.InitAsync();
        string snapshot;
        await using (var repository = await ResticRepository.OpenAsync(new LocalObjectStore(_workspace.Repository), CairnCli.DefaultPassword, cancellationToken: Ct))
        {
            snapshot = (await CraftedSnapshot.SaveAsync(repository, @case, Ct)).ToString();
        }

        var parent = _workspace.Scratch.Combine("restores");
        Directory.CreateDirectory(parent);
        var before = Directory.EnumerateFileSystemEntries(_workspace.Scratch.Path, "*", SearchOption.AllDirectories).Order().ToList();

        var result = await _workspace.Cairn.RunAsync("restore", snapshot, "--target", Path.Combine(parent, "target"));

        result.ShouldFailWith(1, "refusing to restore");
        Directory.EnumerateFileSystemEntries(_workspace.Scratch.Path, "*", SearchOption.AllDirectories).Order().Should().Equal(before);
        File.Exists("/tmp/cairn-crafted-absolute").Should().BeFalse();
    }
}
