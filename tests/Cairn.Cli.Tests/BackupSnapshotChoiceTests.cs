using Cairn.Cli.Tests.Infrastructure;
using Cairn.Testing.Trees;

namespace Cairn.Cli.Tests;

/// <summary>Whether and how backup saves its snapshot: --dry-run, --time, --skip-if-unchanged, --parent, and the rate limits.</summary>
public sealed class BackupSnapshotChoiceTests : IDisposable
{
    private readonly Workspace _workspace = new("cairn-backup-choice-");

    public void Dispose() => _workspace.Dispose();

    private string Source => _workspace.Scratch.Combine("src");

    private void Write(string name, string content)
    {
        Directory.CreateDirectory(Source);
        File.WriteAllText(Path.Combine(Source, name), content);
    }

    private async Task<int> ResticSnapshotCountAsync() =>
        (await _workspace.Restic.RunAsync("snapshots", "--json")).ShouldSucceed().JsonLines().Single().GetArrayLength();

    /// <summary>Every file of the repository with its size and modification time.</summary>
    private List<string> RepositoryFiles() =>
        [.. Directory.EnumerateFiles(_workspace.Repository, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
            .Select(f => $"{f} {new FileInfo(f).Length} {File.GetLastWriteTimeUtc(f).Ticks}")];

    [Fact]
    public async Task Dry_run_says_what_it_would_add_and_leaves_every_repository_file_as_it_was()
    {
        Write("first", "first file");
        await _workspace.InitAsync();
        (await _workspace.Cairn.RunAsync("backup", Source)).ShouldSucceed();
        Write("second", new string('2', 200_000));
        var before = RepositoryFiles();

        var text = (await _workspace.Cairn.RunAsync("backup", "--dry-run", Source)).ShouldSucceed();
        var json = (await _workspace.Cairn.RunAsync("--json", "backup", "-n", Source)).ShouldSucceed().Message("summary");

        RepositoryFiles().Should().Equal(before, "a dry run writes no pack, index, snapshot or lock that stays");
        text.Stdout.Should().Contain("Would add to the repository: 195.312 KiB").And.NotContain("saved");
        json.GetProperty("dry_run").GetBoolean().Should().BeTrue();
        json.GetProperty("files_new").GetInt32().Should().Be(1);
        json.GetProperty("data_added").GetInt64().Should().Be(200_000);
        json.TryGetProperty("snapshot_id", out _).Should().BeFalse();
        (await ResticSnapshotCountAsync()).Should().Be(1);
        (await _workspace.Restic.RunAsync("check")).ShouldSucceed();
    }

    [Fact]
    public async Task Time_sets_the_snapshot_time_that_restic_reads_back()
    {
        Write("file", "x");
        await _workspace.InitAsync();

        (await _workspace.Cairn.RunAsync("backup", "--time", "2021-03-04 05:06:07", Source)).ShouldSucceed();

        var time = (await _workspace.Restic.RunAsync("snapshots", "--json")).ShouldSucceed().JsonLines().Single()[0].GetProperty("time").GetString()!;
        DateTimeOffset.Parse(time, System.Globalization.CultureInfo.InvariantCulture).LocalDateTime.Should().Be(new DateTime(2021, 3, 4, 5, 6, 7), "--time is local time, as in restic");
        (await _workspace.Cairn.RunAsync("backup", "--time", "yesterday", Source)).ShouldFailWith(ExitCodes.Error, "2006-01-02 15:04:05");
    }

    [Fact]
    public async Task Skip_if_unchanged_makes_no_second_snapshot_until_something_changes()
    {
        // A relative path, so the snapshot holds src alone: the folders above it (the temp folder's mtime moves
        // whenever any test makes a folder) are not in the tree.
        Write("file", "x");
        var scratch = _workspace.Scratch.Path;
        await _workspace.InitAsync();
        (await _workspace.Cairn.RunInAsync(scratch, "backup", "src")).ShouldSucceed();

        var skipped = (await _workspace.Cairn.RunInAsync(scratch, "backup", "--skip-if-unchanged", "src")).ShouldSucceed();

        skipped.Stdout.Should().Contain("skipped creating snapshot");
        (await ResticSnapshotCountAsync()).Should().Be(1);
        Write("new", "y");
        (await _workspace.Cairn.RunInAsync(scratch, "backup", "--skip-if-unchanged", "src")).ShouldSucceed().Stdout.Should().Contain("saved");
        (await ResticSnapshotCountAsync()).Should().Be(2);
    }

    [Fact]
    public async Task Parent_given_is_used_even_for_other_paths_and_one_that_does_not_exist_is_an_error()
    {
        Write("file", "x");
        var other = _workspace.Scratch.Combine("other");
        Directory.CreateDirectory(other);
        await _workspace.InitAsync();
        var first = (await _workspace.BackUpAsync(other)).GetProperty("snapshot_id").GetString()!;

        var run = (await _workspace.Cairn.RunAsync("backup", "--parent", first[..8], Source)).ShouldSucceed();

        run.Stdout.Should().Contain($"using parent snapshot {first[..8]}");
        var snapshots = (await _workspace.Restic.RunAsync("snapshots", "--json")).ShouldSucceed().JsonLines().Single().EnumerateArray().ToList();
        snapshots[^1].GetProperty("parent").GetString().Should().Be(first);
        (await _workspace.Cairn.RunAsync("backup", "--parent", "deadbeef", Source)).ShouldFailWith(ExitCodes.Error, "deadbeef");
        (await ResticSnapshotCountAsync()).Should().Be(2, "the backup with a missing parent saved nothing");
    }

    [Fact]
    public async Task Limit_upload_and_download_are_accepted_by_backup_and_restore_and_a_negative_rate_is_refused()
    {
        Write("file", new string('z', 50_000));
        await _workspace.InitAsync();

        (await _workspace.Cairn.RunAsync("--limit-upload", "100000", "--limit-download", "100000", "backup", Source)).ShouldSucceed();
        var target = _workspace.Scratch.Combine("restored");
        (await _workspace.Cairn.RunAsync("--limit-download", "100000", "restore", "latest", "--target", target)).ShouldSucceed();

        File.ReadAllText(target + Source + "/file").Should().Be(new string('z', 50_000));
        (await _workspace.Restic.RunAsync("check", "--read-data")).ShouldSucceed();
        (await _workspace.Cairn.RunAsync("--limit-upload=-1", "backup", Source)).ShouldFailWith(ExitCodes.Error, "--limit-upload");
    }
}
