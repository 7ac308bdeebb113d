using Cairn.Testing.Trees;
using Cairn.Platform;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Cairn.Engine.Tests;

/// <summary>Random trees (any name bytes, modes, owners, times, sizes, xattrs) come back from backup and restore unchanged.</summary>
public sealed class RandomTreeRoundTripTests
{
    [Property(MaxTest = 30)]
    public Property Any_tree_backed_up_and_restored_equals_its_source() =>
        Prop.ForAll(RandomTrees.Arbitrary(), async tree =>
        {
            using var scratch = new Scratch("cairn-random-");
            var source = scratch.Raw.Join("source"u8);
            RandomTrees.Write(tree, source);
            await using var engine = await EngineHarness.CreateAsync(CancellationToken.None);

            var (backup, snapshot) = await engine.BackUpAsync(source.ToString(), CancellationToken.None);
            var target = scratch.Combine("target");
            var restore = await engine.RestoreAsync(snapshot.Tree, target, CancellationToken.None);

            backup.Errors.Should().Be(0);
            restore.Warnings.Should().Be(0);
            TreeComparer.Differences(source, RawPath.FromString(target + source)).Should().BeEmpty();
        });
}
