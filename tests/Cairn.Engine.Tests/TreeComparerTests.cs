using Cairn.Testing.Trees;
using Cairn.Platform;

namespace Cairn.Engine.Tests;

/// <summary>The comparer the round-trip tests rely on finds each kind of difference, by path.</summary>
public sealed class TreeComparerTests : IDisposable
{
    private readonly Scratch _scratch = new("cairn-compare-");

    public void Dispose() => _scratch.Dispose();

    private (RawPath Left, RawPath Right) TwoCopies()
    {
        var left = _scratch.Raw.Join("left"u8);
        var right = _scratch.Raw.Join("right"u8);
        SampleSource.Build(left, seed: 5);
        SampleSource.Build(right, seed: 5);
        return (left, right);
    }

    [Fact]
    public void Two_trees_built_from_the_same_seed_are_equal()
    {
        var (left, right) = TwoCopies();

        TreeComparer.Differences(left, right).Should().BeEmpty();
    }

    [Fact]
    public void A_changed_mtime_permission_owner_xattr_and_byte_are_each_reported_by_path()
    {
        var (left, right) = TwoCopies();
        var small = right.Join("small.txt"u8);
        var status = PosixFileSystem.LStat(small);
        PosixFileSystem.SetTimes(small, status.AccessTime, status.ModifyTime with { Nanoseconds = status.ModifyTime.Nanoseconds + 1 });
        PosixFileSystem.SetPermissions(right.Join("setuid"u8), 0x1ED);
        PosixFileSystem.SetOwner(right.Join(SampleSource.NonUtf8Name), 0, 0);
        PosixFileSystem.SetXattr(right.Join("empty"u8), "user.extra"u8, "1"u8);
        var large = right.Join("large.bin"u8);
        var last = File.ReadAllBytes(large.ToString())[^1];
        using (var handle = PosixFileSystem.OpenWrite(large))
        {
            RandomAccess.Write(handle, [(byte)~last], SampleSource.LargeFileSize - 1);
        }

        TreeComparer.Differences(left, right).Select(d => d.Split(" is ")[0]).Should().BeEquivalentTo(
            "./small.txt: mtime",
            "./setuid: permissions",
            "./bad-\\xff\\xfe-name: uid",
            "./empty: extended attributes",
            "./large.bin: mtime",
            "./large.bin: content differs");
    }

    [Fact]
    public void A_hard_link_restored_as_a_copy_is_reported()
    {
        var (left, right) = TwoCopies();
        var link = right.Join("hardlink-to-shared"u8);
        var content = File.ReadAllBytes(link.ToString());
        PosixFileSystem.Remove(link);
        using (var handle = PosixFileSystem.CreateFile(link, 0x1A4))
        {
            RandomAccess.Write(handle, content, 0);
        }

        TreeComparer.Differences(left, right).Should().Contain(d => d.StartsWith("./hardlink-to-shared: link count", StringComparison.Ordinal))
            .And.Contain(d => d.StartsWith("hard link group [./hardlink-to-shared, ./owned/nested/second-name, ./owned/nested/shared] is missing", StringComparison.Ordinal));
    }

    [Fact]
    public void Missing_and_unexpected_entries_are_named()
    {
        var (left, right) = TwoCopies();
        PosixFileSystem.Remove(right.Join("dangling"u8));
        PosixFileSystem.CreateFifo(right.Join("extra"u8), 0x1A4);

        TreeComparer.Differences(left, right).Should().Contain("./dangling: missing").And.Contain("./extra: unexpected entry");
    }
}
