using Cairn.Cli.Tests.Infrastructure;
using Cairn.Platform;

namespace Cairn.Cli.Tests;

/// <summary>Unchanged files (same path, size, mtime, ctime and inode as in the parent snapshot) are not read again.</summary>
public sealed class IncrementalBackupTests : IDisposable
{
    private readonly Workspace _workspace = new("cairn-incremental-");

    public void Dispose() => _workspace.Dispose();

    [Fact]
    public async Task A_second_backup_reuses_every_file_and_after_a_touch_exactly_that_file_is_changed()
    {
        var (source, files) = _workspace.BuildSample(seed: 61);
        await _workspace.InitAsync();
        var first = await _workspace.BackUpAsync(source.ToString());

        var second = await _workspace.BackUpAsync(source.ToString());
        var touched = source.Join("small.txt"u8);
        var status = PosixFileSystem.LStat(touched);
        PosixFileSystem.SetTimes(touched, status.AccessTime, status.ModifyTime with { Seconds = status.ModifyTime.Seconds + 60 });
        var third = await _workspace.BackUpAsync(source.ToString());

        first.GetProperty("files_new").GetInt32().Should().Be(files);
        second.GetProperty("files_unmodified").GetInt32().Should().Be(files);
        second.GetProperty("files_new").GetInt32().Should().Be(0);
        second.GetProperty("files_changed").GetInt32().Should().Be(0);
        second.GetProperty("data_blobs").GetInt32().Should().Be(0);
        second.GetProperty("data_added").GetInt64().Should().Be(0);
        third.GetProperty("files_changed").GetInt32().Should().Be(1);
        third.GetProperty("files_unmodified").GetInt32().Should().Be(files - 1);
        third.GetProperty("data_blobs").GetInt32().Should().Be(0, "the touched file's content is already stored");
        var parents = (await _workspace.Restic.RunAsync("snapshots", "--json")).ShouldSucceed().JsonLines().Single().EnumerateArray()
            .Select(s => s.TryGetProperty("parent", out var p) ? p.GetString() : null).ToList();
        parents.Should().Equal(null, first.GetProperty("snapshot_id").GetString(), second.GetProperty("snapshot_id").GetString());
    }

    [Fact]
    public async Task A_snapshot_restic_made_serves_as_parent_so_cairn_reads_no_file_again()
    {
        var (source, files) = _workspace.BuildSample(seed: 63, small: true);
        await _workspace.InitAsync();
        var parent = (await _workspace.Restic.RunAsync("backup", "--json", source.ToString())).ShouldSucceed().Message("summary").GetProperty("snapshot_id").GetString()!;

        var next = await _workspace.BackUpAsync(source.ToString());

        next.GetProperty("files_unmodified").GetInt32().Should().Be(files);
        next.GetProperty("data_blobs").GetInt32().Should().Be(0);
        var snapshots = (await _workspace.Restic.RunAsync("snapshots", "--json")).ShouldSucceed().JsonLines().Single().EnumerateArray().ToList();
        snapshots[^1].GetProperty("parent").GetString().Should().StartWith(parent);
    }

    [Fact]
    public async Task A_file_whose_content_changed_is_read_again_and_adds_data()
    {
        var (source, files) = _workspace.BuildSample(seed: 62);
        await _workspace.InitAsync();
        await _workspace.BackUpAsync(source.ToString());
        using (var handle = PosixFileSystem.OpenWrite(source.Join("large.bin"u8)))
        {
            RandomAccess.Write(handle, "changed at the start"u8, 0);
        }

        var next = await _workspace.BackUpAsync(source.ToString());

        next.GetProperty("files_changed").GetInt32().Should().Be(1);
        next.GetProperty("files_unmodified").GetInt32().Should().Be(files - 1);
        next.GetProperty("data_blobs").GetInt32().Should().BeInRange(1, 3, "only the chunks around the edit are new");
    }
}
