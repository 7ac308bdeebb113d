namespace Cairn.Platform.Tests;

/// <summary>ListDirectory: the names ReadDirectory gives, each with what LStat says of it.</summary>
public sealed class ListingTests(SampleTree tree) : IClassFixture<SampleTree>
{
    [Fact]
    public void Every_directory_lists_the_names_ReadDirectory_reads_with_the_status_LStat_gives()
    {
        var directories = new Stack<RawPath>([tree.Root]);
        var seen = 0;
        while (directories.Count > 0)
        {
            var directory = directories.Pop();
            var entries = PosixFileSystem.ListDirectory(directory);
            entries.Select(e => e.Name).Should().BeEquivalentTo(PosixFileSystem.ReadDirectory(directory), o => o.WithStrictOrdering());
            foreach (var entry in entries)
            {
                var path = directory.Join(entry.Name);
                entry.HasStatus.Should().BeTrue();
                entry.Status.Should().Be(PosixFileSystem.LStat(path), "listing {0} describes it as lstat does", path);
                if (entry.Status.Kind == FileKind.Directory)
                {
                    directories.Push(path);
                }

                seen++;
            }
        }

        seen.Should().BeGreaterThan(20, "the sample tree has that many entries");
    }

    [Fact]
    public void Symlinks_are_described_not_followed_and_a_symlinked_directory_is_not_listed()
    {
        var entries = PosixFileSystem.ListDirectory(tree.Root);
        entries.Single(e => e.Name.AsSpan().SequenceEqual(SampleTree.DirectorySymlink)).Status.Kind.Should().Be(FileKind.Symlink);
        entries.Single(e => e.Name.AsSpan().SequenceEqual(SampleTree.Dangling)).Status.Kind.Should().Be(FileKind.Symlink);

        var act = () => PosixFileSystem.ListDirectory(tree[SampleTree.DirectorySymlink]);
        act.Should().Throw<PosixException>().Which.Errno.Should().Be(Errno.ENOTDIR);
    }

    [Fact]
    public void A_scratch_list_is_reused_and_left_empty()
    {
        var scratch = new List<DirectoryEntry>();
        var first = PosixFileSystem.ListDirectory(tree.Root, scratch);
        var second = PosixFileSystem.ListDirectory(tree.Root, scratch);

        scratch.Should().BeEmpty();
        second.Select(e => (Convert.ToHexString(e.Name), e.Status.Inode, e.Status.Kind)).Should()
            .Equal(first.Select(e => (Convert.ToHexString(e.Name), e.Status.Inode, e.Status.Kind)));
        first.Select(e => Convert.ToHexString(e.Name)).Should().NotContain(["2E", "2E2E"], "\".\" and \"..\" are left out");
    }
}
