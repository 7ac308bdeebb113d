using System.Collections.Concurrent;
using Cairn.Testing.Trees;
using Cairn.Platform;
using Cairn.Restore;

namespace Cairn.Engine.Tests;

/// <summary>
/// The host-safety policy of a restore: the owner's own snapshot comes back as restic brings it back (devices, FIFOs,
/// setuid bits, owners), someone else's snapshot brings nothing onto the host but plain files, folders and links.
/// </summary>
public sealed class HostSafetyTests : IDisposable
{
    private const uint SetuidExecutable = 0x9ED; // 04755
    private const uint WorldWritable = 0x1FF; // 0777
    private const uint EveryoneReadWrite = 0x1B6; // 0666
    private static readonly ulong DevNull = DeviceNumber.Make(1, 3);

    private readonly Scratch _scratch = new("cairn-host-safety-");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _scratch.Dispose();

    [Fact]
    public async Task A_foreign_snapshot_creates_no_device_no_fifo_no_special_bits_and_no_owners_and_reports_what_it_skipped()
    {
        RequireRoot();
        var source = BuildHostileSource();
        await using var engine = await EngineHarness.CreateAsync(Ct);
        var (_, snapshot) = await engine.BackUpAsync(source.ToString(), Ct);
        var target = _scratch.Combine("target");
        var progress = new RecordingProgress();

        var summary = await new Restorer(new RepositoryRestoreSource(engine.Repository), progress)
            .RunAsync(snapshot.Tree, new RestoreOptions { Target = target, Safety = HostSafety.ForeignSnapshot }, Ct);

        summary.Warnings.Should().Be(0);
        summary.Skipped.Should().Be(2);
        progress.Skipped.Keys.Select(p => Path.GetFileName(p)).Should().BeEquivalentTo("null", "pipe");
        progress.Skipped.Values.Should().AllSatisfy(reason => reason.Should().Contain("not created"));
        var restored = RawPath.FromString(target + source);
        PosixFileSystem.Exists(restored.Join("null"u8)).Should().BeFalse();
        PosixFileSystem.Exists(restored.Join("pipe"u8)).Should().BeFalse();
        var setuid = PosixFileSystem.LStat(restored.Join("setuid-root"u8));
        setuid.Permissions.Should().Be(0x1C0, "setuid and every group or other bit are cleared");
        PosixFileSystem.LStat(restored.Join("open"u8)).Permissions.Should().Be(0x1C0, "the world-writable folder is the owner's only");
        var foreign = PosixFileSystem.LStat(restored.Join("foreign-owner"u8));
        (foreign.Uid, foreign.Gid).Should().NotBe((SampleSource.ForeignUid, SampleSource.ForeignGid), "owners are not applied");
        foreign.Uid.Should().Be(PosixFileSystem.EffectiveUserId);
        PosixFileSystem.ListXattrs(restored.Join("capable"u8)).Select(x => System.Text.Encoding.UTF8.GetString(x.Name))
            .Should().Equal(["user.note"], "only user attributes come back, never trusted.* or security.* (file capabilities)");
    }

    [Fact]
    public async Task The_owners_own_snapshot_restored_as_root_gets_devices_fifos_setuid_bits_and_owners_back()
    {
        RequireRoot();
        var source = BuildHostileSource();
        await using var engine = await EngineHarness.CreateAsync(Ct);
        var (_, snapshot) = await engine.BackUpAsync(source.ToString(), Ct);
        var target = _scratch.Combine("target");

        var summary = await engine.RestoreAsync(snapshot.Tree, target, Ct, HostSafety.OwnSnapshot);

        summary.Warnings.Should().Be(0);
        summary.Skipped.Should().Be(0);
        var restored = RawPath.FromString(target + source);
        var device = PosixFileSystem.LStat(restored.Join("null"u8));
        (device.Kind, device.RDevice, device.Permissions).Should().Be((FileKind.CharDevice, DevNull, EveryoneReadWrite));
        PosixFileSystem.LStat(restored.Join("pipe"u8)).Kind.Should().Be(FileKind.Fifo);
        PosixFileSystem.LStat(restored.Join("setuid-root"u8)).Permissions.Should().Be(SetuidExecutable);
        PosixFileSystem.LStat(restored.Join("open"u8)).Permissions.Should().Be(WorldWritable);
        var foreign = PosixFileSystem.LStat(restored.Join("foreign-owner"u8));
        (foreign.Uid, foreign.Gid).Should().Be((SampleSource.ForeignUid, SampleSource.ForeignGid));
        TreeComparer.Differences(source, restored).Should().BeEmpty();
    }

    [Fact]
    public async Task The_verifier_expects_what_the_foreign_policy_left_out_and_accepts_the_restore()
    {
        RequireRoot();
        var source = BuildHostileSource();
        await using var engine = await EngineHarness.CreateAsync(Ct);
        var (_, snapshot) = await engine.BackUpAsync(source.ToString(), Ct);
        var target = _scratch.Combine("target");
        await engine.RestoreAsync(snapshot.Tree, target, Ct, HostSafety.ForeignSnapshot);

        var verified = await engine.VerifyAsync(snapshot.Tree, target, HostSafety.ForeignSnapshot, Ct);

        verified.Skipped.Should().Be(2);
        verified.Files.Should().Be(3);
        var asIfOwn = () => engine.VerifyAsync(snapshot.Tree, target, HostSafety.OwnSnapshot, Ct);
        await asIfOwn.Should().ThrowAsync<RestoreVerificationException>("restic's policy expects the device, the FIFO and the setuid bit");
    }

    private RawPath BuildHostileSource()
    {
        var source = _scratch.Raw.Join("source"u8);
        var tree = new TreeBuilder(source);
        tree.File(source.Join("setuid-root"u8), "#!/bin/sh\n"u8, new EntryMetadata { Permissions = SetuidExecutable });
        tree.File(source.Join("foreign-owner"u8), "theirs"u8, new EntryMetadata { Uid = SampleSource.ForeignUid, Gid = SampleSource.ForeignGid });
        tree.File(source.Join("capable"u8), "#!/bin/sh\n"u8, new EntryMetadata
        {
            Permissions = 0x1ED,
            Xattrs = [("user.note", "kept"u8.ToArray()), ("trusted.cairn-test", "left out"u8.ToArray())],
        });
        tree.Directory(source.Join("open"u8), new EntryMetadata { Permissions = WorldWritable });
        tree.Fifo(source.Join("pipe"u8), new EntryMetadata());
        PosixFileSystem.CreateDeviceNode(source.Join("null"u8), FileKind.CharDevice, EveryoneReadWrite, DevNull);
        PosixFileSystem.SetPermissions(source.Join("null"u8), EveryoneReadWrite);
        tree.Finish();
        return source;
    }

    private static void RequireRoot() =>
        Assert.SkipUnless(PosixFileSystem.EffectiveUserId == 0, "device nodes and other owners need root (the test suite runs as root)");

    private sealed class RecordingProgress : IRestoreProgress
    {
        public ConcurrentDictionary<string, string> Skipped { get; } = new(StringComparer.Ordinal);

        public void Planned(long files, long bytes)
        {
        }

        public void BytesWritten(long bytes)
        {
        }

        public void Warning(string path, string message) => throw new InvalidOperationException($"unexpected warning for {path}: {message}");

        void IRestoreProgress.Skipped(string path, string reason) => Skipped[path] = reason;
    }
}
