namespace Cairn.Platform.Tests;

public sealed class GoFileModeTests
{
    private static uint Octal(string digits) => Convert.ToUInt32(digits, 8);

    [Theory]
    [InlineData(FileKind.Directory, "755", 2147484141u)]
    [InlineData(FileKind.Symlink, "777", 134218239u)]
    [InlineData(FileKind.Fifo, "644", 33554852u)]
    [InlineData(FileKind.File, "644", 420u)]
    [InlineData(FileKind.Directory, "2755", 2151678445u)] // restic 0.14 wrote this for a setgid directory
    public void Known_answers_from_restic_trees(FileKind kind, string permissions, uint mode)
    {
        GoFileMode.FromPosix(kind, Octal(permissions)).Should().Be(mode);
        GoFileMode.ToPosix(mode).Should().Be((kind, Octal(permissions)));
    }

    [Fact]
    public void Special_bits_and_device_kinds_use_Gos_bits()
    {
        GoFileMode.FromPosix(FileKind.File, Octal("4755")).Should().Be((1u << 23) | Octal("755"));
        GoFileMode.FromPosix(FileKind.Directory, Octal("1777")).Should().Be((1u << 31) | (1u << 20) | Octal("777"));
        GoFileMode.FromPosix(FileKind.Directory, Octal("2750")).Should().Be((1u << 31) | (1u << 22) | Octal("750"));
        GoFileMode.FromPosix(FileKind.CharDevice, Octal("620")).Should().Be((1u << 26) | (1u << 21) | Octal("620"));
        GoFileMode.FromPosix(FileKind.BlockDevice, Octal("660")).Should().Be((1u << 26) | Octal("660"));
        GoFileMode.FromPosix(FileKind.Socket, Octal("755")).Should().Be((1u << 24) | Octal("755"));
    }

    [Fact]
    public void Every_kind_and_permission_round_trips()
    {
        foreach (var kind in Enum.GetValues<FileKind>())
        {
            for (uint permissions = 0; permissions <= Octal("7777"); permissions++)
            {
                GoFileMode.ToPosix(GoFileMode.FromPosix(kind, permissions)).Should().Be((kind, permissions));
            }
        }
    }

    [Fact]
    public void FromStatus_reads_kind_and_permissions()
    {
        var status = new FileStatus(FileKind.Directory, Octal("755"), 0, 0, 0, 0, 0, 0, 1, default, default, default);
        GoFileMode.FromStatus(status).Should().Be(2147484141u);
    }

    [Fact]
    public void Plan9_bits_are_ignored_and_impossible_types_refused()
    {
        GoFileMode.ToPosix(GoFileMode.ModeAppend | GoFileMode.ModeExclusive | GoFileMode.ModeTemporary | Octal("600"))
            .Should().Be((FileKind.File, Octal("600")));
        GoFileMode.ToPosix(GoFileMode.ModeCharDevice | Octal("600")).Kind.Should().Be(FileKind.CharDevice);
        Assert.Throws<FormatException>(() => GoFileMode.ToPosix(GoFileMode.ModeIrregular | Octal("644")));
        Assert.Throws<FormatException>(() => GoFileMode.ToPosix(GoFileMode.ModeDir | GoFileMode.ModeSymlink));
        Assert.Throws<ArgumentOutOfRangeException>(() => GoFileMode.FromPosix(FileKind.File, Octal("10000")));
    }
}
