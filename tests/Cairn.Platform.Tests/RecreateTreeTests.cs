namespace Cairn.Platform.Tests;

/// <summary>
/// The restore side rebuilds the sample tree from what the backup side read, and LStat of the copy matches
/// the original field by field (all but inode and ctime, which cannot be set).
/// </summary>
public sealed class RecreateTreeTests(SampleTree tree) : IClassFixture<SampleTree>
{
    private sealed record Entry(FileStatus Status, byte[]? LinkTarget, List<(byte[] Name, byte[] Value)> Xattrs);

    [Fact]
    public void Create_side_rebuilds_an_equal_tree()
    {
        var target = tree.Top.Join("copy"u8);
        var seen = new Dictionary<byte[], Entry>(ByteArrayComparer.Instance);
        var firstLinks = new Dictionary<(ulong Device, ulong Inode), RawPath>();
        Copy(tree.Root, target, [], seen, firstLinks);

        seen.Should().HaveCountGreaterThan(20);
        foreach (var (relative, original) in seen)
        {
            var copy = relative.Length == 0 ? target : SampleTree.Under(target, relative);
            var status = PosixFileSystem.LStat(copy);
            status.Should().Be(
                original.Status with { Inode = status.Inode, ChangeTime = status.ChangeTime },
                "{0} is a copy of {1}", copy, RawPath.Display(relative));
            PosixFileSystem.ListXattrs(copy).Should().BeEquivalentTo(original.Xattrs, o => o.WithStrictOrdering());
            if (original.LinkTarget is not null)
            {
                PosixFileSystem.ReadLink(copy).Should().Equal(original.LinkTarget);
            }
        }

        var copiedPlain = PosixFileSystem.LStat(target.Join(SampleTree.Plain));
        PosixFileSystem.LStat(target.Join(SampleTree.HardLink)).Inode.Should().Be(copiedPlain.Inode, "the hard link was kept");
        copiedPlain.ModifyTime.Should().Be(SampleTree.PlainModifyTime);
        Shell.Run($"cmp {Shell.Quote(tree[SampleTree.WithSpace])} {Shell.Quote(target.Join(SampleTree.WithSpace))}");
        Shell.Run($"diff -r --no-dereference {Shell.Quote(tree[SampleTree.Nested])} {Shell.Quote(target.Join(SampleTree.Nested))}");
    }

    /// <summary>What a restore does: create, copy content, then owner, permissions, xattrs and times, directories last.</summary>
    private static void Copy(RawPath from, RawPath to, byte[] relative, Dictionary<byte[], Entry> seen,
        Dictionary<(ulong, ulong), RawPath> firstLinks)
    {
        // Recorded before anything reads the entry: reading a directory or symlink may move its atime.
        var status = PosixFileSystem.LStat(from);
        var xattrs = PosixFileSystem.ListXattrs(from);
        byte[]? linkTarget = status.Kind == FileKind.Symlink ? PosixFileSystem.ReadLink(from) : null;
        if (status.Kind == FileKind.Socket)
        {
            return; // Sockets are not restored; their server recreates them.
        }
        seen[relative] = new Entry(status, linkTarget, xattrs);

        if (status.Links > 1 && status.Kind != FileKind.Directory && firstLinks.TryGetValue((status.DeviceId, status.Inode), out var first))
        {
            PosixFileSystem.CreateHardLink(first, to);
            return;
        }
        switch (status.Kind)
        {
            case FileKind.Directory:
                PosixFileSystem.CreateDirectory(to, Convert.ToUInt32("700", 8));
                foreach (var name in PosixFileSystem.ReadDirectory(from))
                {
                    byte[] childRelative = relative.Length == 0 ? name : [.. relative, (byte)'/', .. name];
                    Copy(from.Join(name), to.Join(name), childRelative, seen, firstLinks);
                }
                break;
            case FileKind.File:
                CopyContent(from, to);
                break;
            case FileKind.Symlink:
                PosixFileSystem.CreateSymlink(linkTarget!, to);
                break;
            case FileKind.Fifo:
                PosixFileSystem.CreateFifo(to, status.Permissions);
                break;
            case FileKind.CharDevice or FileKind.BlockDevice:
                PosixFileSystem.CreateDeviceNode(to, status.Kind, status.Permissions, status.RDevice);
                break;
        }
        firstLinks[(status.DeviceId, status.Inode)] = to;

        PosixFileSystem.SetOwner(to, status.Uid, status.Gid);
        if (status.Kind != FileKind.Symlink)
        {
            PosixFileSystem.SetPermissions(to, status.Permissions);
        }
        foreach (var (name, value) in xattrs)
        {
            PosixFileSystem.SetXattr(to, name, value);
        }
        PosixFileSystem.SetTimes(to, status.AccessTime, status.ModifyTime);
    }

    private static void CopyContent(RawPath from, RawPath to)
    {
        using var source = PosixFileSystem.OpenRead(from);
        using var destination = PosixFileSystem.CreateFile(to, Convert.ToUInt32("600", 8));
        var buffer = new byte[4096];
        long offset = 0;
        int read;
        while ((read = RandomAccess.Read(source, buffer, offset)) > 0)
        {
            RandomAccess.Write(destination, buffer.AsSpan(0, read), offset);
            offset += read;
        }
    }

    private sealed class ByteArrayComparer : IEqualityComparer<byte[]>
    {
        public static readonly ByteArrayComparer Instance = new();

        public bool Equals(byte[]? x, byte[]? y) => x.AsSpan().SequenceEqual(y);

        public int GetHashCode(byte[] obj)
        {
            var hash = new HashCode();
            hash.AddBytes(obj);
            return hash.ToHashCode();
        }
    }
}
