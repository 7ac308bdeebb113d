using Cairn.Platform;
using Cairn.Space.Tests.Infrastructure;

namespace Cairn.Space.Tests.Cloud;

/// <summary>
/// Restores to a local cloud instance never hand a tenant the Space host: run by a Space running as root, a snapshot
/// with a setuid-root file, a world-writable character device, a FIFO and a world-writable folder comes out as plain
/// files and folders of the restore user; and a tree of names that are not UTF-8, links and hard links comes out
/// equal to its source. Space's data folder is 0700 root here, so the restore process cannot reach the disk by path.
/// </summary>
public abstract class HostIsolationTests(DatabaseKind database)
{
    private const uint SetuidExecutable = 0x9ED; // 04755
    private const uint WorldWritable = 0x1FF; // 0777
    private const uint EveryoneReadWrite = 0x1B6; // 0666
    private const uint OwnerOnly = 0x1C0; // 0700

    [Fact]
    public async Task A_snapshot_with_a_setuid_root_file_a_device_a_fifo_and_a_world_writable_folder_comes_out_harmless_and_owned_by_the_restore_user()
    {
        Assert.SkipUnless(PosixFileSystem.EffectiveUserId == 0, "Space must run as root for this (it does here and in CI)");
        await using var space = new CloudSpace(database);
        await space.StartAsync();
        PosixFileSystem.SetPermissions(RawPath.FromString(space.DataPath), OwnerOnly);
        var source = Trees.NewTemp(space.DataPath);
        var raw = RawPath.FromString(source);
        File.WriteAllText(Path.Combine(source, "setuid-root"), "#!/bin/sh\nid\n");
        PosixFileSystem.SetPermissions(raw.Join("setuid-root"u8), SetuidExecutable);
        PosixFileSystem.CreateDeviceNode(raw.Join("null"u8), FileKind.CharDevice, EveryoneReadWrite, DeviceNumber.Make(1, 3));
        PosixFileSystem.SetPermissions(raw.Join("null"u8), EveryoneReadWrite);
        PosixFileSystem.CreateFifo(raw.Join("pipe"u8), 0x1A4);
        Directory.CreateDirectory(Path.Combine(source, "open", "inside"));
        File.WriteAllText(Path.Combine(source, "open", "inside", "note.txt"), "hello");
        PosixFileSystem.SetPermissions(raw.Join("open"u8), WorldWritable);
        var owner = await CloudClient.SignUpAsync(space);
        var (_, taskId) = await owner.BackUpAsync(space, source);

        var running = await owner.RestoreToCloudAsync(space, taskId, "hostile");

        var (uid, gid) = RestoredTree.RestoreUser;
        var disk = PosixFileSystem.LStat(RawPath.FromString(running.Disk!));
        (disk.Permissions, disk.Uid, disk.Gid).Should().Be((OwnerOnly, uid, gid), "the disk is 0700 and the restore user's");
        var entries = RawDisk.Walk(running.Disk!);
        entries.Should().NotBeEmpty();
        foreach (var (path, status) in entries)
        {
            status.Kind.Should().BeOneOf([FileKind.File, FileKind.Directory], path);
            (status.Permissions & 0xE00).Should().Be(0, $"{path} has no setuid, setgid or sticky bit");
            (status.Permissions & 0x3F).Should().Be(0, $"{path} is open to no one but its owner");
            (status.Uid, status.Gid).Should().Be((uid, gid), $"{path} belongs to the restore user");
            if (status.Kind == FileKind.Directory)
            {
                status.Permissions.Should().Be(OwnerOnly, path);
            }
        }

        var restored = Trees.Restored(running.Disk!, source);
        File.Exists(Path.Combine(restored, "setuid-root")).Should().BeTrue();
        PosixFileSystem.Exists(RawPath.FromString(Path.Combine(restored, "null"))).Should().BeFalse();
        PosixFileSystem.Exists(RawPath.FromString(Path.Combine(restored, "pipe"))).Should().BeFalse();
        File.ReadAllText(Path.Combine(restored, "open", "inside", "note.txt")).Should().Be("hello");
        space.Logs.Entries.Should().Contain(e => e.Contains($"(uid {uid}) restored and verified", StringComparison.Ordinal),
            "the restore process itself reports the user it ran as");
        space.Logs.Entries.Should().Contain(e => e.Contains("skipped", StringComparison.Ordinal) && e.Contains("character device", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_tree_with_non_utf8_names_symlinks_and_hard_links_reaches_running_equal_to_its_source()
    {
        await using var space = new CloudSpace(database);
        await space.StartAsync();
        if (PosixFileSystem.EffectiveUserId == 0)
        {
            PosixFileSystem.SetPermissions(RawPath.FromString(space.DataPath), OwnerOnly);
        }

        var source = RawDisk.MakeOddTree(space.DataPath);
        var owner = await CloudClient.SignUpAsync(space);
        var (_, taskId) = await owner.BackUpWithCairnAsync(space, source, "odd");

        var running = await owner.RestoreToCloudAsync(space, taskId, "odd-names");

        var (uid, gid) = PosixFileSystem.EffectiveUserId == 0 ? RestoredTree.RestoreUser : (PosixFileSystem.EffectiveUserId, 0u);
        var restored = Trees.Restored(running.Disk!, source);
        var expected = RawDisk.Describe(source, (uid, gid), OwnerOnly);
        expected.Keys.Should().Contain(k => k.Contains('\u00ff'), "the source really has names that are not UTF-8");
        RawDisk.Describe(restored, PosixFileSystem.EffectiveUserId == 0 ? null : (uid, gid)).Should().Equal(expected);
        PosixFileSystem.ReadLink(RawPath.FromString(restored).Join("dangling-odd"u8)).Should().Equal(RawDisk.OddTarget);
    }
}

public sealed class HostIsolationTestsOnSqlite() : HostIsolationTests(DatabaseKind.Sqlite);

public sealed class HostIsolationTestsOnPostgres() : HostIsolationTests(DatabaseKind.Postgres);
