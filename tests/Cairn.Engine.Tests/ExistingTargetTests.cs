using Cairn.Testing.Trees;
using Cairn.Platform;

namespace Cairn.Engine.Tests;

/// <summary>Restoring into a folder that already holds entries: what is there is replaced, and nothing outside is touched.</summary>
public sealed class ExistingTargetTests : IDisposable
{
    private readonly Scratch _scratch = new("cairn-existing-");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _scratch.Dispose();

    [Fact]
    public async Task A_symlink_planted_where_the_snapshot_has_a_folder_does_not_lead_metadata_outside_the_target()
    {
        var source = _scratch.Raw.Join("source"u8);
        var tree = new TreeBuilder(source);
        tree.Directory(source.Join("victim"u8), new EntryMetadata { Permissions = 0x3FF, Uid = 1234, Gid = 2345 });
        tree.Finish();
        var outside = _scratch.Raw.Join("outside"u8);
        PosixFileSystem.CreateDirectory(outside, 0x1C0);
        var before = PosixFileSystem.LStat(outside);
        await using var engine = await EngineHarness.CreateAsync(Ct);
        var (_, snapshot) = await engine.BackUpAsync(source.ToString(), Ct);
        var target = _scratch.Combine("target");
        Directory.CreateDirectory(target + source);
        PosixFileSystem.CreateSymlink(outside.ToArray(), RawPath.FromString(target + source).Join("victim"u8));

        var restore = await engine.RestoreAsync(snapshot.Tree, target, Ct);

        restore.Warnings.Should().BeGreaterThan(0, "the folder could not be made where a symlink stands");
        var after = PosixFileSystem.LStat(outside);
        (after.Permissions, after.Uid, after.Gid, after.ModifyTime).Should().Be((before.Permissions, before.Uid, before.Gid, before.ModifyTime));
    }

    [Fact]
    public async Task Restoring_twice_into_the_same_target_gives_the_source_again()
    {
        var source = _scratch.Raw.Join("source"u8);
        SampleSource.Build(source, seed: 3);
        await using var engine = await EngineHarness.CreateAsync(Ct);
        var (_, snapshot) = await engine.BackUpAsync(source.ToString(), Ct);
        var target = _scratch.Combine("target");

        await engine.RestoreAsync(snapshot.Tree, target, Ct);
        var second = await engine.RestoreAsync(snapshot.Tree, target, Ct);

        second.Warnings.Should().Be(0);
        TreeComparer.Differences(source, RawPath.FromString(target + source)).Should().BeEmpty();
    }
}
