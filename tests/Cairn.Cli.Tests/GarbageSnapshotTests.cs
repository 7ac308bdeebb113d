using System.Security.Cryptography;
using Cairn.Cli.Tests.Infrastructure;
using Cairn.Testing.Trees;

namespace Cairn.Cli.Tests;

/// <summary>
/// A snapshot file with a correct name and random bytes (what an append-only credential can upload) is skipped with
/// a warning when "latest" is resolved, as restic does, so it never hides the newest snapshot that opens.
/// </summary>
public sealed class GarbageSnapshotTests : IDisposable
{
    private readonly Workspace _workspace = new("cairn-garbage-snapshot-");

    public void Dispose() => _workspace.Dispose();

    [Fact]
    public async Task Restore_latest_skips_a_snapshot_file_that_does_not_decrypt_and_names_it_in_a_warning()
    {
        var (source, _) = _workspace.BuildSample(seed: 71, small: true);
        await _workspace.InitAsync();
        var real = (await _workspace.BackUpAsync(source.ToString())).GetProperty("snapshot_id").GetString()!;
        var garbage = RandomNumberGenerator.GetBytes(400);
        var garbageId = Convert.ToHexStringLower(SHA256.HashData(garbage));
        File.WriteAllBytes(Path.Combine(_workspace.Repository, "snapshots", garbageId), garbage);
        var target = _workspace.Scratch.Combine("restored");

        var restored = (await _workspace.Cairn.RunAsync("restore", "latest", "--target", target)).ShouldSucceed();

        restored.Stdout.Should().Contain($"restoring <Snapshot {real[..8]}");
        restored.Stderr.Should().Contain($"could not load snapshot {garbageId[..8]}");
        TreeComparer.Differences(source, Workspace.Restored(target, source)).Should().BeEmpty();
        (await _workspace.Cairn.RunAsync("ls", "latest")).ShouldSucceed().Stdout.Should().Contain(source.ToString());

        // Named by its ID, the garbage file is an error, not silently another snapshot.
        (await _workspace.Cairn.RunAsync("restore", garbageId[..10], "--target", _workspace.Scratch.Combine("other"))).ExitCode.Should().NotBe(0);
    }
}
