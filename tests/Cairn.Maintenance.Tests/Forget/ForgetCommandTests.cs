using System.Text.Json;
using Cairn.Repository;
using Cairn.Repository.Format;
using Cairn.Storage;

namespace Cairn.Maintenance.Tests.Forget;

/// <summary><c>cairn forget</c> as a real process: what it deletes, what it refuses, and forget --prune.</summary>
public sealed class ForgetCommandTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("cairn-forget-cmd-").FullName;

    private string RepositoryPath => Path.Combine(_root, "repo");

    public void Dispose() => Directory.Delete(_root, recursive: true);

    /// <summary>Twelve daily snapshots of one host and path, the newest on 2024-03-12.</summary>
    private Task<List<(Id Id, Snapshot Snapshot)>> TwelveDaysAsync() =>
        SnapshotRepositoryBuilder.CreateAsync(RepositoryPath, Enumerable.Range(1, 12).Select(day => (Func<Id, Snapshot>)(tree => new Snapshot
        {
            Time = NodeTime.FromDateTimeOffset(new DateTimeOffset(2024, 3, day, 9, 0, 0, TimeSpan.Zero)),
            Tree = tree,
            Paths = ["/data"],
            Hostname = "host",
        })));

    private async Task<List<string>> ResticSnapshotIdsAsync()
    {
        var listing = await ExternalProcess.ResticAsync(RepositoryPath, "snapshots", "--json");
        listing.ExitCode.Should().Be(0, listing.Stderr);
        using var document = JsonDocument.Parse(listing.Stdout);
        return [.. document.RootElement.EnumerateArray().Select(s => s.GetProperty("id").GetString()!)];
    }

    [Fact]
    public async Task Forget_with_a_policy_deletes_exactly_the_snapshots_it_lists_for_removal()
    {
        var snapshots = await TwelveDaysAsync();
        var result = await ExternalProcess.CairnAsync(RepositoryPath, "forget", "--keep-daily", "3", "--json");
        result.ExitCode.Should().Be(0, result.Stderr);
        using var document = JsonDocument.Parse(result.Stdout);
        var kept = document.RootElement[0].GetProperty("keep").EnumerateArray().Select(s => s.GetProperty("id").GetString()!).ToList();
        kept.Should().Equal(snapshots.TakeLast(3).Reverse().Select(s => s.Id.ToString()));
        (await ResticSnapshotIdsAsync()).Should().BeEquivalentTo(kept);
    }

    [Fact]
    public async Task Forget_by_id_deletes_those_snapshots_and_skips_unknown_ones_with_a_warning()
    {
        var snapshots = await TwelveDaysAsync();
        var result = await ExternalProcess.CairnAsync(RepositoryPath, "forget", snapshots[0].Id.Short, snapshots[5].Id.ToString(), "deadbeef");
        result.ExitCode.Should().Be(0, result.Stderr);
        result.Stderr.Should().Contain("Ignoring \"deadbeef\"");
        (await ResticSnapshotIdsAsync()).Should().BeEquivalentTo(snapshots.Where((_, i) => i is not 0 and not 5).Select(s => s.Id.ToString()));
    }

    [Fact]
    public async Task A_dry_run_and_an_empty_policy_delete_nothing()
    {
        await TwelveDaysAsync();
        (await ExternalProcess.CairnAsync(RepositoryPath, "forget", "--dry-run", "--keep-last", "1")).ExitCode.Should().Be(0);
        var empty = await ExternalProcess.CairnAsync(RepositoryPath, "forget", "--keep-last", "0");
        empty.ExitCode.Should().Be(0);
        empty.Stdout.Should().Contain("no policy was specified, no snapshots will be removed");
        (await ResticSnapshotIdsAsync()).Should().HaveCount(12);
    }

    [Theory]
    [InlineData("--keep-last", "-1", "Fatal: --keep-last must not be negative")]
    [InlineData("--keep-within", "-1d", "Fatal: --keep-within must not be negative")]
    [InlineData("--keep-within", "1w", "Fatal: invalid argument \"1w\" for \"--keep-within\": invalid unit 'w' found after number 1")]
    [InlineData("--group-by", "host,colour", "Fatal: unknown grouping option \"colour\": use host, paths and/or tags, separated by commas")]
    public async Task Refuses_policies_that_would_remove_everything_or_cannot_be_read(string option, string value, string message)
    {
        await TwelveDaysAsync();
        var result = await ExternalProcess.CairnAsync(RepositoryPath, "forget", option, value);
        result.ExitCode.Should().Be(1);
        result.Stderr.Trim().Should().Be(message);
        (await ResticSnapshotIdsAsync()).Should().HaveCount(12);
    }

    [Fact]
    public async Task Forget_waits_for_no_one_and_fails_with_exit_11_while_another_process_holds_the_lock()
    {
        await TwelveDaysAsync();
        await using var repository = await Cairn.Repository.ResticRepository.OpenAsync(new LocalObjectStore(RepositoryPath), ExternalProcess.Password, cancellationToken: TestContext.Current.CancellationToken);
        await using (await RepositoryLock.AcquireAsync(repository, exclusive: false, cancellationToken: TestContext.Current.CancellationToken))
        {
            var result = await ExternalProcess.CairnAsync(RepositoryPath, "forget", "--keep-last", "1");
            result.ExitCode.Should().Be(11, result.Stderr);
            result.Stderr.Should().StartWith("Fatal: unable to create lock");
        }

        (await ResticSnapshotIdsAsync()).Should().HaveCount(12);
    }

    [Fact]
    public async Task Forget_with_prune_drops_the_data_of_forgotten_snapshots_and_restic_check_passes()
    {
        var source = Path.Combine(_root, "src");
        Directory.CreateDirectory(source);
        var first = new byte[2_000_000];
        new Random(1).NextBytes(first);
        await File.WriteAllBytesAsync(Path.Combine(source, "file"), first, TestContext.Current.CancellationToken);
        (await ExternalProcess.CairnAsync(RepositoryPath, "init")).ExitCode.Should().Be(0);
        (await ExternalProcess.CairnAsync(RepositoryPath, "backup", source)).ExitCode.Should().Be(0);
        var second = new byte[2_000_000];
        new Random(2).NextBytes(second);
        await File.WriteAllBytesAsync(Path.Combine(source, "file"), second, TestContext.Current.CancellationToken);
        (await ExternalProcess.CairnAsync(RepositoryPath, "backup", source)).ExitCode.Should().Be(0);

        var result = await ExternalProcess.CairnAsync(RepositoryPath, "forget", "--keep-last", "1", "--prune");
        result.ExitCode.Should().Be(0, result.Stderr);
        result.Stdout.Should().Contain("1 snapshots have been removed, running prune");

        var check = await ExternalProcess.ResticAsync(RepositoryPath, "check", "--read-data");
        check.ExitCode.Should().Be(0, check.Stdout + check.Stderr);
        var stats = await ExternalProcess.ResticAsync(RepositoryPath, "stats", "--json", "--mode", "raw-data");
        using var raw = JsonDocument.Parse(stats.Stdout);
        raw.RootElement.GetProperty("total_size").GetInt64().Should().BeLessThan(2_500_000, "only the kept snapshot's data may remain");
        var dump = await ExternalProcess.CairnAsync(RepositoryPath, "dump", "latest", source + "/file");
        dump.StdoutBytes.Should().Equal(second);
    }
}
