using System.Globalization;
using Cairn.Cli.Tests.Infrastructure;
using Cairn.Testing.Trees;

namespace Cairn.Cli.Tests;

/// <summary>
/// cairn mount: the repository as a read-only FUSE file system in restic's layout, read back against the source.
/// Skipped only where the kernel offers no /dev/fuse; ./test.sh installs fuse3 (libfuse3) when it is missing.
/// </summary>
public sealed class MountTests : IDisposable
{
    private const string Host = "mounthost";
    private const string Tag = "nightly";
    private const int LargeFileSize = 40 << 20;

    private readonly Workspace _workspace = new("cairn-mount-");
    private readonly string _mountpoint;
    private readonly string _source;

    public MountTests()
    {
        _mountpoint = _workspace.Scratch.Combine("mnt");
        _source = _workspace.Scratch.Combine("source");
        Directory.CreateDirectory(_mountpoint);
    }

    public void Dispose()
    {
        // A failed test may leave the mount behind; the scratch folder cannot be removed through it.
        if (IsMounted())
        {
            Unmount("-l");
        }

        _workspace.Dispose();
    }

    [Fact]
    public async Task Mount_lists_snapshots_latest_and_reads_a_large_file_at_random_offsets_like_the_source()
    {
        var large = await BackUpSampleAsync();
        var mount = StartMount();
        await WaitForMountAsync(mount);

        var latest = Path.Combine(_mountpoint, "snapshots", "latest");
        new FileInfo(latest).LinkTarget.Should().MatchRegex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(Z|[+-]\d\d:\d\d)$");
        var mounted = latest + _source;
        Directory.EnumerateFileSystemEntries(mounted).Select(Path.GetFileName).Should().BeEquivalentTo(["large.bin", "notes.txt", "link", "hardlink.txt", "sub"]);

        var mountedLarge = Path.Combine(mounted, "large.bin");
        new FileInfo(mountedLarge).Length.Should().Be(LargeFileSize);
        using (var stream = new FileStream(mountedLarge, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.RandomAccess))
        {
            var random = new Random(17);
            for (var i = 0; i < 200; i++)
            {
                var offset = random.NextInt64(LargeFileSize);
                var buffer = new byte[(int)Math.Min(random.Next(1, 3 << 20), LargeFileSize - offset)];
                stream.Position = offset;
                stream.ReadExactly(buffer);
                buffer.AsSpan().SequenceEqual(large.AsSpan((int)offset, buffer.Length)).Should().BeTrue($"bytes at offset {offset} (+{buffer.Length}) match the source");
            }
        }

        (await File.ReadAllBytesAsync(mountedLarge, TestContext.Current.CancellationToken)).AsSpan().SequenceEqual(large).Should().BeTrue("the whole file reads back as the source");
        new FileInfo(Path.Combine(mounted, "link")).LinkTarget.Should().Be("sub/deep.txt");
        (await File.ReadAllTextAsync(Path.Combine(mounted, "link"), TestContext.Current.CancellationToken)).Should().Be("deep\n");
        (await File.ReadAllTextAsync(Path.Combine(mounted, "sub", "deep.txt"), TestContext.Current.CancellationToken)).Should().Be("deep\n");

        var (links, mode, mtime) = await StatAsync(Path.Combine(mounted, "hardlink.txt"));
        var (sourceLinks, sourceMode, sourceMtime) = await StatAsync(Path.Combine(_source, "hardlink.txt"));
        (links, mode, mtime).Should().Be((sourceLinks, sourceMode, sourceMtime), "link count, mode and mtime are the source's");
        links.Should().Be(2);

        var shortId = Directory.EnumerateDirectories(Path.Combine(_mountpoint, "ids")).Select(Path.GetFileName).Should().ContainSingle().Which!;
        shortId.Should().MatchRegex("^[0-9a-f]{8}$");
        File.Exists(Path.Combine(_mountpoint, "ids", shortId) + _source + "/notes.txt").Should().BeTrue();
        Directory.EnumerateFileSystemEntries(Path.Combine(_mountpoint, "hosts")).Select(Path.GetFileName).Should().Equal(Host);
        File.Exists(Path.Combine(_mountpoint, "hosts", Host, "latest") + _source + "/notes.txt").Should().BeTrue();
        Directory.EnumerateFileSystemEntries(Path.Combine(_mountpoint, "tags")).Select(Path.GetFileName).Should().Equal(Tag);
        File.Exists(Path.Combine(_mountpoint, "tags", Tag, "latest") + _source + "/notes.txt").Should().BeTrue();

        var write = () => File.WriteAllText(Path.Combine(mounted, "new.txt"), "x");
        write.Should().Throw<IOException>("the mount is read-only");

        Unmount();
        var result = await mount.Completion;
        result.ShouldSucceed();
        IsMounted().Should().BeFalse("nothing is left in /proc/mounts");
    }

    [Theory]
    [InlineData("INT")]
    [InlineData("TERM")]
    public async Task A_signal_ends_the_mount_leaving_nothing_mounted(string signal)
    {
        await BackUpSampleAsync(small: true);
        var mount = StartMount();
        await WaitForMountAsync(mount);

        (await ProgramRunner.RunAsync("kill", [$"-{signal}", mount.Id.ToString(CultureInfo.InvariantCulture)], new Dictionary<string, string>(),
            cancellationToken: TestContext.Current.CancellationToken)).ShouldSucceed();
        var result = await mount.Completion;

        result.ShouldSucceed();
        IsMounted().Should().BeFalse("nothing is left in /proc/mounts");
    }

    [Fact]
    public async Task Without_dev_fuse_mount_fails_with_one_clear_line_and_exit_1()
    {
        await _workspace.InitAsync();

        // A private /dev without the device, in a mount namespace of this run only.
        var result = await ProgramRunner.RunAsync(
            "unshare",
            ["-m", "sh", "-c", "mount -t tmpfs tmpfs /dev && exec " + CairnCli.ShellCommand("-r", _workspace.Repository, "mount", _mountpoint)],
            _workspace.Cairn.Environment,
            cancellationToken: TestContext.Current.CancellationToken);

        result.ShouldFailWith(1, "/dev/fuse does not exist");
        IsMounted().Should().BeFalse();
    }

    [Fact]
    public async Task Mount_help_lists_restics_flags()
    {
        var result = (await CairnCli.RunAsync(_workspace.Cairn.Environment, ["mount", "--help"])).ShouldSucceed();

        result.Stdout.Should().ContainAll("mountpoint", "--allow-other", "--no-default-permissions", "--owner-root", "--host", "--tag", "--path");
    }

    /// <summary>Backs up a source with a large random file, a symlink, a hard link pair and a subfolder; returns the large file's bytes.</summary>
    private async Task<byte[]> BackUpSampleAsync(bool small = false)
    {
        SkipWithoutFuse();
        Directory.CreateDirectory(Path.Combine(_source, "sub"));
        var large = new byte[small ? 100_000 : LargeFileSize];
        new Random(4).NextBytes(large);
        await File.WriteAllBytesAsync(Path.Combine(_source, "large.bin"), large, TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(Path.Combine(_source, "notes.txt"), "notes\n", TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(Path.Combine(_source, "sub", "deep.txt"), "deep\n", TestContext.Current.CancellationToken);
        File.CreateSymbolicLink(Path.Combine(_source, "link"), "sub/deep.txt");
        (await ProgramRunner.RunAsync("ln", [Path.Combine(_source, "notes.txt"), Path.Combine(_source, "hardlink.txt")], new Dictionary<string, string>(),
            cancellationToken: TestContext.Current.CancellationToken)).ShouldSucceed();

        await _workspace.InitAsync();
        await _workspace.BackUpAsync(_source, "--host", Host, "--tag", Tag);
        return large;
    }

    private static void SkipWithoutFuse() =>
        Assert.SkipUnless(File.Exists("/dev/fuse"), "this machine has no /dev/fuse (no FUSE in the kernel or the container), so nothing can be mounted");

    private RunningProgram StartMount() =>
        ProgramRunner.Start(CairnCli.Program, CairnCli.Arguments(["-r", _workspace.Repository, "mount", _mountpoint]), _workspace.Cairn.Environment,
            cancellationToken: TestContext.Current.CancellationToken);

    /// <summary>Waits until the kernel lists the mount and its root answers, failing with cairn's output if it ends first.</summary>
    private async Task WaitForMountAsync(RunningProgram mount)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!(IsMounted() && Directory.Exists(Path.Combine(_mountpoint, "snapshots"))))
        {
            if (mount.Completion.IsCompleted)
            {
                Assert.Fail("cairn mount ended before mounting: " + await mount.Completion);
            }

            waited.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(60), "cairn mount mounts within a minute");
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
    }

    private bool IsMounted() =>
        File.ReadAllLines("/proc/mounts").Any(line => line.Split(' ') is [_, var point, ..] && point == _mountpoint);

    private void Unmount(string? flag = null)
    {
        using var umount = System.Diagnostics.Process.Start("umount", flag is null ? [_mountpoint] : [flag, _mountpoint]);
        umount.WaitForExit();
        umount.ExitCode.Should().Be(0, "umount succeeds");
    }

    private static async Task<(int Links, string Mode, long Mtime)> StatAsync(string path)
    {
        var result = (await ProgramRunner.RunAsync("stat", ["-c", "%h %A %Y", path], new Dictionary<string, string>(),
            cancellationToken: TestContext.Current.CancellationToken)).ShouldSucceed();
        var parts = result.Stdout.Trim().Split(' ');
        return (int.Parse(parts[0], CultureInfo.InvariantCulture), parts[1], long.Parse(parts[2], CultureInfo.InvariantCulture));
    }
}
