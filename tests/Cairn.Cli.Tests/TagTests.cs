using Cairn.Cli.Tests.Infrastructure;
using Cairn.Repository;
using Cairn.Storage;
using Cairn.Testing.Trees;

namespace Cairn.Cli.Tests;

/// <summary>
/// cairn tag changes tags as restic's does, judged by restic 0.14: a changed snapshot gets a new ID with
/// "original" naming the first snapshot of the chain, the old file is gone, an unchanged snapshot is left alone,
/// and the repository still checks clean.
/// </summary>
public sealed class TagTests : IDisposable
{
    private readonly Workspace _workspace = new("cairn-tag-");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _workspace.Dispose();

    [Fact]
    public async Task A_changed_snapshot_is_saved_anew_with_its_first_original_and_the_old_file_removed()
    {
        var (first, second) = await TwoSnapshotsAsync();

        var added = (await _workspace.Cairn.RunAsync("tag", "--add", "x,y", first[..8])).ShouldSucceed();

        added.Stdout.Should().Contain("modified tags on 1 snapshots");
        var afterAdd = await ResticSnapshotsAsync();
        afterAdd.Select(s => s.Id).Should().NotContain(first).And.Contain(second).And.HaveCount(2);
        var retagged = afterAdd.Single(s => s.Id != second);
        retagged.Tags.Should().Equal("x", "y");
        retagged.Original.Should().Be(first);

        (await _workspace.Cairn.RunAsync("tag", "--remove", "x", "--add", "z", retagged.Id)).ShouldSucceed();

        var again = (await ResticSnapshotsAsync()).Single(s => s.Id != second);
        again.Id.Should().NotBe(retagged.Id);
        again.Tags.Should().Equal("y", "z");
        again.Original.Should().Be(first, "the first original is kept over every change");
        again.Tree.Should().Be(retagged.Tree);
        (await _workspace.Restic.RunAsync("ls", again.Id)).ShouldSucceed().Stdout.Should().Contain("file.txt");
        (await _workspace.Restic.RunAsync("check", "--read-data")).ShouldSucceed();
    }

    [Fact]
    public async Task An_unchanged_snapshot_is_left_alone()
    {
        await TwoSnapshotsAsync();
        (await _workspace.Cairn.RunAsync("tag", "--set", "kept")).ShouldSucceed();
        var before = await ResticSnapshotsAsync();

        var result = (await _workspace.Cairn.RunAsync("tag", "--add", "kept", "--remove", "absent")).ShouldSucceed();

        result.Stdout.Should().Contain("no snapshots were modified");
        (await ResticSnapshotsAsync()).Should().BeEquivalentTo(before);
    }

    [Fact]
    public async Task Set_replaces_all_tags_and_an_empty_set_removes_them()
    {
        var (first, _) = await TwoSnapshotsAsync();
        (await _workspace.Cairn.RunAsync("tag", "--add", "a,b", first)).ShouldSucceed();

        (await _workspace.Cairn.RunAsync("tag", "--set", "c", "--set", "d,c", "--tag", "a")).ShouldSucceed().Stdout.Should().Contain("modified tags on 1 snapshots");
        (await ResticSnapshotsAsync()).Should().ContainSingle(s => s.Tags.SequenceEqual(new[] { "c", "d" }));

        (await _workspace.Cairn.RunAsync("tag", "--set", "", "--tag", "c,d")).ShouldSucceed();
        var json = (await _workspace.Restic.RunAsync("snapshots", "--json")).ShouldSucceed().Stdout;
        json.Should().NotContain("\"tags\"");
    }

    [Fact]
    public async Task The_filters_and_latest_pick_the_snapshots_as_restic_does()
    {
        var folder = SomeFolder();
        await _workspace.InitAsync();
        await _workspace.BackUpAsync("--host", "h1", folder);
        await _workspace.BackUpAsync("--host", "h2", folder);
        await _workspace.BackUpAsync("--host", "h1", folder);

        (await _workspace.Cairn.RunAsync("tag", "--add", "one", "--host", "h1")).ShouldSucceed().Stdout.Should().Contain("modified tags on 2 snapshots");
        (await _workspace.Cairn.RunAsync("tag", "--add", "newest", "--host", "h2", "latest")).ShouldSucceed();
        var missing = (await _workspace.Cairn.RunAsync("tag", "--add", "never", "deadbeef")).ShouldSucceed();

        missing.Stderr.Should().Contain("Ignoring \"deadbeef\"");
        var snapshots = await ResticSnapshotsAsync();
        snapshots.Where(s => s.Host == "h1").Should().OnlyContain(s => s.Tags.SequenceEqual(new[] { "one" }));
        snapshots.Single(s => s.Host == "h2").Tags.Should().Equal("newest");
        (await _workspace.Restic.RunAsync("snapshots", "--tag", "one", "--json")).ShouldSucceed().Stdout.Should().Contain("\"h1\"");
    }

    [Fact]
    public async Task Nothing_to_do_and_set_with_add_are_refused()
    {
        await TwoSnapshotsAsync();
        var before = await ResticSnapshotsAsync();

        (await _workspace.Cairn.RunAsync("tag")).ShouldFailWith(1, "nothing to do");
        (await _workspace.Cairn.RunAsync("tag", "--set", "a", "--add", "b")).ShouldFailWith(1, "--set and --add/--remove");
        (await ResticSnapshotsAsync()).Should().BeEquivalentTo(before);
    }

    [Fact]
    public async Task Tag_takes_the_exclusive_lock()
    {
        await TwoSnapshotsAsync();
        await using var repository = await ResticRepository.OpenAsync(new LocalObjectStore(_workspace.Repository), CairnCli.DefaultPassword, cancellationToken: Ct);
        var before = await ResticSnapshotsAsync();
        await using (await RepositoryLock.AcquireAsync(repository, exclusive: false, Ct))
        {
            var blocked = await _workspace.Cairn.RunAsync("tag", "--add", "x");

            blocked.ExitCode.Should().Be(11, blocked.ToString());
            blocked.ShouldHaveNoStackTrace();
        }

        (await ResticSnapshotsAsync()).Should().BeEquivalentTo(before);
    }

    private string SomeFolder()
    {
        var folder = _workspace.Scratch.Combine("data");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "file.txt"), "tagged");
        return folder;
    }

    private async Task<(string First, string Second)> TwoSnapshotsAsync()
    {
        var folder = SomeFolder();
        await _workspace.InitAsync();
        var first = (await _workspace.BackUpAsync(folder)).GetProperty("snapshot_id").GetString()!;
        File.WriteAllText(Path.Combine(folder, "more.txt"), "second");
        var second = (await _workspace.BackUpAsync(folder)).GetProperty("snapshot_id").GetString()!;
        return (first, second);
    }

    private async Task<List<ListedSnapshot>> ResticSnapshotsAsync() =>
        ListedSnapshot.Parse((await _workspace.Restic.RunAsync("snapshots", "--json")).ShouldSucceed().Stdout);
}
