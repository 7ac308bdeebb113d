using System.Text.Json;
using Cairn.Cli.Tests.Infrastructure;
using Cairn.Testing.Trees;
using Cairn.Platform;

namespace Cairn.Cli.Tests;

/// <summary>Issue 2, first must-show: restic checks and restores what cairn wrote, exactly.</summary>
public sealed class ResticJudgesCairnTests : IDisposable
{
    private readonly Workspace _workspace = new("cairn-judged-");

    public void Dispose() => _workspace.Dispose();

    [Theory]
    [InlineData("off")]
    [InlineData("auto")]
    public async Task Restic_finds_no_error_reading_every_byte_of_a_repository_cairn_created_and_backed_up_into(string compression)
    {
        var (source, _) = _workspace.BuildSample(seed: 11);
        await _workspace.InitAsync("--compression", compression);
        var summary = await _workspace.BackUpAsync("--compression", compression, source.ToString());

        var check = (await _workspace.Restic.RunAsync("check", "--read-data")).ShouldSucceed();

        check.Stdout.Should().Contain("no errors were found");
        var snapshots = JsonDocument.Parse((await _workspace.Restic.RunAsync("snapshots", "--json")).ShouldSucceed().Stdout).RootElement;
        snapshots.EnumerateArray().Select(s => s.GetProperty("id").GetString()).Should().Equal(summary.GetProperty("snapshot_id").GetString());
        (await CompressedBlobCountAsync()).Should().Match(n => compression == "off" ? n == 0 : n > 0, $"--compression {compression} decides whether blobs are stored compressed");
    }

    [Theory]
    [InlineData("off")]
    [InlineData("auto")]
    public async Task Restic_restores_a_cairn_snapshot_equal_to_its_source_in_content_and_metadata(string compression)
    {
        var (source, _) = _workspace.BuildSample(seed: 12);
        await _workspace.InitAsync("--compression", compression);
        var snapshot = (await _workspace.BackUpAsync("--compression", compression, source.ToString())).GetProperty("snapshot_id").GetString()!;
        var target = _workspace.Scratch.Combine("restored-by-restic");

        (await _workspace.Restic.RunAsync("restore", snapshot, "--target", target)).ShouldSucceed();

        TreeComparer.Differences(source, Workspace.Restored(target, source)).Should().BeEmpty();
    }

    [Fact]
    public async Task Restic_0_14_restores_a_symlink_target_that_is_not_utf8_with_U_FFFD_while_cairn_keeps_its_bytes()
    {
        // restic 0.14 keeps a link target as a JSON string, so invalid UTF-8 becomes U+FFFD; restic 0.16 added
        // "linktarget_raw" (which cairn writes too) to keep the bytes. Names are not affected: both Go-quote them.
        var source = _workspace.Scratch.Raw.Join("source"u8);
        var tree = new TreeBuilder(source);
        tree.Symlink(source.Join("odd-link"u8), [.. "to-"u8, 0xff, .. "-target"u8], new EntryMetadata());
        tree.Finish();
        await _workspace.InitAsync();
        await _workspace.BackUpAsync(source.ToString());
        var byRestic = _workspace.Scratch.Combine("by-restic");
        var byCairn = _workspace.Scratch.Combine("by-cairn");

        (await _workspace.Restic.RunAsync("restore", "latest", "--target", byRestic)).ShouldSucceed();
        (await _workspace.Cairn.RunAsync("restore", "latest", "--target", byCairn)).ShouldSucceed();

        PosixFileSystem.ReadLink(Workspace.Restored(byRestic, source).Join("odd-link"u8)).Should().Equal([.. "to-"u8, 0xef, 0xbf, 0xbd, .. "-target"u8]);
        TreeComparer.Differences(source, Workspace.Restored(byCairn, source)).Should().BeEmpty();
    }

    /// <summary>How many blobs restic's own index listing says are stored compressed.</summary>
    private async Task<int> CompressedBlobCountAsync()
    {
        var count = 0;
        var ids = (await _workspace.Restic.RunAsync("list", "index")).ShouldSucceed().Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        foreach (var id in ids)
        {
            var index = JsonDocument.Parse((await _workspace.Restic.RunAsync("cat", "index", id)).ShouldSucceed().Stdout).RootElement;
            count += index.GetProperty("packs").EnumerateArray()
                .SelectMany(p => p.GetProperty("blobs").EnumerateArray())
                .Count(b => b.TryGetProperty("uncompressed_length", out _));
        }

        return count;
    }
}
