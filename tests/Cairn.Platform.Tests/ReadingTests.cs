using System.Globalization;
using System.Text;

namespace Cairn.Platform.Tests;

/// <summary>ReadDirectory, ReadLink and ListXattrs against ls, readlink and getfattr.</summary>
public sealed class ReadingTests(SampleTree tree) : IClassFixture<SampleTree>
{
    [Fact]
    public void ReadDirectory_lists_what_ls_lists_sorted_by_bytes()
    {
        foreach (var directory in Directories())
        {
            var listed = Shell.SplitOn(Shell.Run($"ls -A -U --zero --quoting-style=literal --show-control-chars {Shell.Quote(directory)}"), 0);
            listed.Sort((a, b) => a.AsSpan().SequenceCompareTo(b));
            PosixFileSystem.ReadDirectory(directory).Should().BeEquivalentTo(listed, o => o.WithStrictOrdering(), "ls lists {0} so", directory);
        }
    }

    [Fact]
    public void ReadDirectory_keeps_names_that_are_not_UTF8_byte_for_byte()
    {
        var names = PosixFileSystem.ReadDirectory(tree.Root);
        names.Should().ContainEquivalentOf(SampleTree.BadBytes)
            .And.ContainEquivalentOf(SampleTree.Dangling)
            .And.ContainEquivalentOf(SampleTree.NewlineDirectory)
            .And.ContainEquivalentOf(SampleTree.Unicode)
            .And.ContainEquivalentOf(SampleTree.WithSpace)
            .And.NotContainEquivalentOf("."u8.ToArray())
            .And.NotContainEquivalentOf(".."u8.ToArray());
        names.Should().BeInAscendingOrder(Comparer<byte[]>.Create((a, b) => a.AsSpan().SequenceCompareTo(b)));
        names.FindIndex(n => n.AsSpan().SequenceEqual(SampleTree.Unicode)).Should()
            .BeLessThan(names.FindIndex(n => n.AsSpan().SequenceEqual(SampleTree.BadBytes)), "'G' (0x47) sorts before 'b' (0x62) by bytes");
    }

    [Fact]
    public void ReadDirectory_of_an_empty_directory_is_empty()
    {
        var empty = tree.Top.Join("empty"u8);
        PosixFileSystem.CreateDirectory(empty, Convert.ToUInt32("755", 8));
        PosixFileSystem.ReadDirectory(empty).Should().BeEmpty();
    }

    [Fact]
    public void ReadLink_returns_the_target_bytes_readlink_prints()
    {
        foreach (var name in new[] { SampleTree.Symlink, SampleTree.Dangling, SampleTree.DirectorySymlink })
        {
            var link = tree[name];
            PosixFileSystem.ReadLink(link).Should().Equal(Shell.Run($"readlink -n {Shell.Quote(link)}"));
        }
        PosixFileSystem.ReadLink(tree[SampleTree.Dangling]).Should().Equal(SampleTree.DanglingTarget);
    }

    [Fact]
    public void ReadLink_reads_targets_longer_than_its_first_buffer()
    {
        var target = Encoding.ASCII.GetBytes(string.Join('/', Enumerable.Repeat("abcdefghij", 300))); // 3299 bytes
        var link = tree.Top.Join("long-link"u8);
        PosixFileSystem.CreateSymlink(target, link);
        PosixFileSystem.ReadLink(link).Should().Equal(target);
        PosixFileSystem.LStat(link).Size.Should().Be(target.Length);
    }

    [Fact]
    public void ListXattrs_returns_what_getfattr_dumps_for_every_entry()
    {
        foreach (var relative in SampleTree.FindAll(tree.Root))
        {
            var path = SampleTree.Under(tree.Root, relative);
            var expected = GetFattr(path);
            var actual = PosixFileSystem.ListXattrs(path);
            actual.Select(a => (Display(a.Name), Convert.ToHexString(a.Value))).Should()
                .BeEquivalentTo(expected, o => o.WithStrictOrdering(), "getfattr reports so for {0}", path);
        }
    }

    [Fact]
    public void ListXattrs_keeps_binary_and_empty_values()
    {
        PosixFileSystem.ListXattrs(tree[SampleTree.Plain]).Select(a => (Encoding.UTF8.GetString(a.Name), a.Value)).Should().BeEquivalentTo(
            [("user.comment", "a comment"u8.ToArray()), ("user.empty", Array.Empty<byte>())],
            o => o.WithStrictOrdering());
        PosixFileSystem.ListXattrs(tree[SampleTree.BadBytes]).Should().ContainSingle()
            .Which.Value.Should().Equal(0x00, 0xff, 0x10);
        PosixFileSystem.ListXattrs(tree[SampleTree.Symlink]).Should().BeEmpty("the symlink's own attributes are read, not plain's");
    }

    [Fact]
    public void UserName_and_GroupName_match_the_account_database()
    {
        PosixFileSystem.UserName(0).Should().Be("root");
        PosixFileSystem.GroupName(0).Should().Be("root");
        PosixFileSystem.UserName(1).Should().Be(Shell.RunText("getent passwd 1 | cut -d: -f1").Trim());
        PosixFileSystem.GroupName(3).Should().Be(Shell.RunText("getent group 3 | cut -d: -f1").Trim());
        Shell.RunText("getent passwd 1234 || true").Should().BeEmpty();
        PosixFileSystem.UserName(1234).Should().BeNull();
        PosixFileSystem.GroupName(5678).Should().BeNull();
        PosixFileSystem.UserId("daemon").Should().Be(1);
        PosixFileSystem.GroupId("sys").Should().Be(3);
        PosixFileSystem.UserId("no-such-user-here").Should().BeNull();
        PosixFileSystem.GroupId("").Should().BeNull();
    }

    [Fact]
    public void UserAccount_gives_the_uid_and_primary_gid_id_reports()
    {
        var uid = uint.Parse(Shell.RunText("id -u nobody").Trim(), CultureInfo.InvariantCulture);
        var gid = uint.Parse(Shell.RunText("id -g nobody").Trim(), CultureInfo.InvariantCulture);
        PosixFileSystem.UserAccount("nobody").Should().Be((uid, gid));
        PosixFileSystem.UserAccount("daemon").Should().Be((1u, uint.Parse(Shell.RunText("id -g daemon").Trim(), CultureInfo.InvariantCulture)));
        PosixFileSystem.UserAccount("no-such-user-here").Should().BeNull();
        PosixFileSystem.UserAccount("").Should().BeNull();
    }

    private IEnumerable<RawPath> Directories() =>
        SampleTree.FindAll(tree.Root)
            .Select(relative => SampleTree.Under(tree.Root, relative))
            .Where(path => PosixFileSystem.LStat(path).Kind == FileKind.Directory)
            .Prepend(tree.Root);

    /// <summary>getfattr's dump as (name, HEX value) pairs, names sorted by bytes.</summary>
    private static List<(string Name, string Value)> GetFattr(RawPath path)
    {
        var dump = Shell.Run($"getfattr --absolute-names -h -d -m - -e hex {Shell.Quote(path)}");
        var pairs = new List<(byte[] Name, string Value)>();
        foreach (var line in Shell.SplitOn(dump, (byte)'\n'))
        {
            if (line.Length == 0 || line[0] == (byte)'#')
            {
                continue;
            }
            int equals = Array.IndexOf(line, (byte)'=');
            var name = equals < 0 ? line : line[..equals];
            var value = equals < 0 ? "" : Encoding.ASCII.GetString(line, equals + 1, line.Length - equals - 1);
            value.Should().StartWith("0x");
            pairs.Add((name, value[2..].ToUpper(CultureInfo.InvariantCulture)));
        }
        pairs.Sort((a, b) => a.Name.AsSpan().SequenceCompareTo(b.Name));
        return [.. pairs.Select(p => (Display(p.Name), p.Value))];
    }

    private static string Display(byte[] bytes) => RawPath.Display(bytes);
}
