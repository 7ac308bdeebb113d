using System.Globalization;
using System.Text;

namespace Cairn.Platform.Tests;

public sealed class LStatTests(SampleTree tree) : IClassFixture<SampleTree>
{
    [Fact]
    public void LStat_agrees_with_coreutils_stat_on_every_entry()
    {
        // Run stat first: find reads each directory (updating its atime once) before the batched stat runs,
        // so nothing changes between stat's view and ours.
        var output = Shell.Run($"cd {Shell.Quote(tree.Root)} && find . -mindepth 1 -exec stat --printf '%n\\0%f|%a|%u|%g|%s|%i|%d|%h|%.9X|%.9Y|%.9Z|%t|%T\\0' {{}} +");
        var parts = Shell.SplitOn(output, 0);
        parts.Count.Should().BeGreaterThan(20).And.Match(n => n % 2 == 0);

        for (int i = 0; i < parts.Count; i += 2)
        {
            var path = SampleTree.Under(tree.Root, parts[i][2..]); // strip "./"
            var fields = Encoding.ASCII.GetString(parts[i + 1]).Split('|');
            var status = PosixFileSystem.LStat(path);
            uint rawMode = uint.Parse(fields[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture);

            var expected = new FileStatus(
                KindOf(rawMode),
                Convert.ToUInt32(fields[1], 8),
                uint.Parse(fields[2], CultureInfo.InvariantCulture),
                uint.Parse(fields[3], CultureInfo.InvariantCulture),
                long.Parse(fields[4], CultureInfo.InvariantCulture),
                ulong.Parse(fields[5], CultureInfo.InvariantCulture),
                ulong.Parse(fields[6], CultureInfo.InvariantCulture),
                DeviceNumber.Make(
                    uint.Parse(fields[11], NumberStyles.HexNumber, CultureInfo.InvariantCulture),
                    uint.Parse(fields[12], NumberStyles.HexNumber, CultureInfo.InvariantCulture)),
                ulong.Parse(fields[7], CultureInfo.InvariantCulture),
                ParseSeconds(fields[8]),
                ParseSeconds(fields[9]),
                ParseSeconds(fields[10]));
            status.Should().Be(expected, "that is what stat says about {0}", path);
            (status.Permissions | (rawMode & 0xf000)).Should().Be(rawMode);
        }
    }

    [Fact]
    public void LStat_reads_kinds_and_special_bits()
    {
        PosixFileSystem.LStat(tree.Root).Kind.Should().Be(FileKind.Directory);
        PosixFileSystem.LStat(tree[SampleTree.Plain]).Kind.Should().Be(FileKind.File);
        PosixFileSystem.LStat(tree[SampleTree.Symlink]).Kind.Should().Be(FileKind.Symlink);
        PosixFileSystem.LStat(tree[SampleTree.DirectorySymlink]).Kind.Should().Be(FileKind.Symlink, "LStat does not follow");
        PosixFileSystem.LStat(tree[SampleTree.Fifo]).Should().Match<FileStatus>(s => s.Kind == FileKind.Fifo && s.Permissions == Convert.ToUInt32("640", 8));
        PosixFileSystem.LStat(tree[SampleTree.Socket]).Kind.Should().Be(FileKind.Socket);
        PosixFileSystem.LStat(tree[SampleTree.Setuid]).Permissions.Should().Be(Convert.ToUInt32("4755", 8));
        PosixFileSystem.LStat(tree[SampleTree.Sticky]).Permissions.Should().Be(Convert.ToUInt32("1777", 8));
        PosixFileSystem.LStat(tree[SampleTree.Setgid]).Permissions.Should().Be(Convert.ToUInt32("2750", 8));
    }

    [Fact]
    public void LStat_reads_device_numbers_beyond_eight_bits()
    {
        var character = PosixFileSystem.LStat(tree[SampleTree.CharDevice]);
        character.Kind.Should().Be(FileKind.CharDevice);
        (DeviceNumber.Major(character.RDevice), DeviceNumber.Minor(character.RDevice)).Should().Be((1u, 3u));

        var block = PosixFileSystem.LStat(tree[SampleTree.BlockDevice]);
        block.Kind.Should().Be(FileKind.BlockDevice);
        (DeviceNumber.Major(block.RDevice), DeviceNumber.Minor(block.RDevice)).Should().Be((7u, 200u));

        var big = PosixFileSystem.LStat(tree[SampleTree.BigDevice]);
        (DeviceNumber.Major(big.RDevice), DeviceNumber.Minor(big.RDevice)).Should().Be((4095u, 1048575u));
        big.RDevice.Should().Be(ulong.Parse(Shell.RunText($"stat --printf '%r' {Shell.Quote(tree[SampleTree.BigDevice])}"), CultureInfo.InvariantCulture),
            "stat's %r is glibc's st_rdev");
    }

    [Fact]
    public void LStat_keeps_nanoseconds_set_by_touch()
    {
        var plain = PosixFileSystem.LStat(tree[SampleTree.Plain]);
        plain.ModifyTime.Should().Be(SampleTree.PlainModifyTime);
        plain.AccessTime.Should().Be(SampleTree.PlainAccessTime);
        PosixFileSystem.LStat(tree[SampleTree.Symlink]).ModifyTime.Should().Be(GoTime.Parse("2003-04-05T06:07:08.5Z"));
        PosixFileSystem.LStat(tree[SampleTree.BadBytes]).ModifyTime.Should().Be(GoTime.Parse("1999-12-31T23:59:59.000000001Z"));
    }

    [Fact]
    public void Hard_links_share_the_inode_and_count_two_links()
    {
        var plain = PosixFileSystem.LStat(tree[SampleTree.Plain]);
        var hard = PosixFileSystem.LStat(tree[SampleTree.HardLink]);
        hard.Inode.Should().Be(plain.Inode);
        hard.DeviceId.Should().Be(plain.DeviceId);
        (plain.Links, hard.Links).Should().Be((2ul, 2ul));
        PosixFileSystem.LStat(tree[SampleTree.WithSpace]).Links.Should().Be(1);
    }

    [Fact]
    public void LStat_reads_foreign_owners()
    {
        var owned = PosixFileSystem.LStat(tree[SampleTree.Owned]);
        (owned.Uid, owned.Gid).Should().Be((1234u, 5678u));
        var daemon = PosixFileSystem.LStat(tree[SampleTree.DaemonOwned]);
        PosixFileSystem.UserName(daemon.Uid).Should().Be("daemon");
        PosixFileSystem.GroupName(daemon.Gid).Should().Be("sys");
    }

    [Fact]
    public void Stat_of_an_open_handle_equals_LStat_of_its_path()
    {
        var path = tree[SampleTree.WithSpace];
        using var handle = PosixFileSystem.OpenRead(path);
        PosixFileSystem.Stat(handle).Should().Be(PosixFileSystem.LStat(path));
    }

    [Fact]
    public void Exists_tells_present_from_absent()
    {
        PosixFileSystem.Exists(tree[SampleTree.BadBytes]).Should().BeTrue();
        PosixFileSystem.Exists(tree[SampleTree.Dangling]).Should().BeTrue("the symlink itself exists");
        PosixFileSystem.Exists(tree.Root.Join("missing"u8)).Should().BeFalse();
        PosixFileSystem.Exists(tree[SampleTree.Plain].Join("child"u8)).Should().BeFalse("a file has no children (ENOTDIR)");
    }

    [Fact]
    public void EffectiveUserId_is_the_one_id_reports()
    {
        PosixFileSystem.EffectiveUserId.Should().Be(uint.Parse(Shell.RunText("id -u").Trim(), CultureInfo.InvariantCulture));
    }

    private static FileKind KindOf(uint rawMode) => (rawMode & 0xf000) switch
    {
        0x8000 => FileKind.File,
        0x4000 => FileKind.Directory,
        0xa000 => FileKind.Symlink,
        0x1000 => FileKind.Fifo,
        0xc000 => FileKind.Socket,
        0x2000 => FileKind.CharDevice,
        0x6000 => FileKind.BlockDevice,
        _ => throw new FormatException($"mode {rawMode:x}"),
    };

    private static Timestamp ParseSeconds(string text)
    {
        var parts = text.Split('.');
        return new Timestamp(long.Parse(parts[0], CultureInfo.InvariantCulture), uint.Parse(parts[1], CultureInfo.InvariantCulture));
    }
}
