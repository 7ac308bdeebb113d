using Cairn.Testing.Trees;
using Cairn.Repository.Format;
using Cairn.Restore;
using Cairn.Storage;

namespace Cairn.Engine.Tests;

/// <summary>A restore refuses a tree whose names could escape the target, before it writes anything.</summary>
public sealed class UnsafeSnapshotTests : IDisposable
{
    private readonly Scratch _scratch = new("cairn-unsafe-");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _scratch.Dispose();

    [Theory]
    [MemberData(nameof(CraftedSnapshot.Cases), MemberType = typeof(CraftedSnapshot))]
    public async Task A_tree_with_an_escaping_or_repeated_name_is_refused_and_nothing_is_written(string @case)
    {
        await using var engine = await EngineHarness.CreateAsync(Ct);
        var id = await CraftedSnapshot.SaveAsync(engine.Repository, @case, Ct);
        var snapshot = await engine.Repository.LoadJsonAsync<Snapshot>(new ObjectName(ObjectKind.Snapshot, id.ToString()), Ct);
        var parent = _scratch.Combine("restores");
        Directory.CreateDirectory(parent);
        var target = Path.Combine(parent, "target");

        var restore = () => engine.RestoreAsync(snapshot.Tree, target, Ct);

        (await restore.Should().ThrowAsync<UnsafeSnapshotException>()).Which.Message.Should().StartWith("refusing to restore");
        Directory.EnumerateFileSystemEntries(_scratch.Path, "*", SearchOption.AllDirectories).Should().Equal(parent);
        File.Exists("/tmp/cairn-crafted-absolute").Should().BeFalse();
    }
}
