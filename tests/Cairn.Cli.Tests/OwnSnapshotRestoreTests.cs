using Cairn.Cli.Tests.Infrastructure;
using Cairn.Testing.Trees;
using Cairn.Platform;

namespace Cairn.Cli.Tests;

/// <summary>
/// <c>cairn restore</c> run by root on its own snapshot keeps restic's behaviour: owners, device nodes, FIFOs and
/// setuid/setgid/sticky bits come back, exactly as restic's restore of the same snapshot brings them back.
/// </summary>
public sealed class OwnSnapshotRestoreTests : IDisposable
{
    private const uint SetuidExecutable = 0x9ED; // 04755
    private const uint StickyWorldWritable = 0x3FF; // 01777
    private const uint EveryoneReadWrite = 0x1B6; // 0666
    private static readonly ulong DevNull = DeviceNumber.Make(1, 3);

    private readonly Workspace _workspace = new("cairn-own-restore-");

    public void Dispose() => _workspace.Dispose();

    [Fact]
    public async Task Root_restoring_its_own_snapshot_gets_owners_the_device_the_fifo_and_setuid_bits_back_as_restic_does()
    {
        Assert.SkipUnless(PosixFileSystem.EffectiveUserId == 0, "device nodes and other owners need root (the test suite runs as root)");
        var source = _workspace.Scratch.Raw.Join("source"u8);
        var tree = new TreeBuilder(source);
        tree.File(source.Join("setuid-root"u8), "#!/bin/sh\n"u8, new EntryMetadata { Permissions = SetuidExecutable });
        tree.File(source.Join("theirs"u8), "owned by someone else"u8, new EntryMetadata { Uid = SampleSource.ForeignUid, Gid = SampleSource.ForeignGid });
        tree.Directory(source.Join("open"u8), new EntryMetadata { Permissions = StickyWorldWritable });
        tree.Fifo(source.Join("pipe"u8), new EntryMetadata { Permissions = 0x1A4 });
        PosixFileSystem.CreateDeviceNode(source.Join("null"u8), FileKind.CharDevice, EveryoneReadWrite, DevNull);
        PosixFileSystem.SetPermissions(source.Join("null"u8), EveryoneReadWrite);
        tree.Finish();
        await _workspace.InitAsync();
        var snapshot = (await _workspace.BackUpAsync(source.ToString())).GetProperty("snapshot_id").GetString()!;
        var byCairn = _workspace.Scratch.Combine("cairn");
        var byRestic = _workspace.Scratch.Combine("restic");

        (await _workspace.Cairn.RunAsync("restore", snapshot, "--target", byCairn)).ShouldSucceed();
        (await _workspace.Restic.RunAsync("restore", snapshot, "--target", byRestic)).ShouldSucceed();

        var restored = Workspace.Restored(byCairn, source);
        var device = PosixFileSystem.LStat(restored.Join("null"u8));
        (device.Kind, device.RDevice, device.Permissions).Should().Be((FileKind.CharDevice, DevNull, EveryoneReadWrite));
        PosixFileSystem.LStat(restored.Join("pipe"u8)).Kind.Should().Be(FileKind.Fifo);
        PosixFileSystem.LStat(restored.Join("setuid-root"u8)).Permissions.Should().Be(SetuidExecutable);
        PosixFileSystem.LStat(restored.Join("open"u8)).Permissions.Should().Be(StickyWorldWritable);
        var theirs = PosixFileSystem.LStat(restored.Join("theirs"u8));
        (theirs.Uid, theirs.Gid).Should().Be((SampleSource.ForeignUid, SampleSource.ForeignGid));
        PosixFileSystem.LStat(Workspace.Restored(byRestic, source).Join("null"u8)).RDevice.Should().Be(DevNull);
        TreeComparer.Differences(Workspace.Restored(byRestic, source), restored).Should().BeEmpty("cairn restores what restic restores");
    }
}
