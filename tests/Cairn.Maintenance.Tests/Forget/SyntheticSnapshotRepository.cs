using Cairn.Repository;
using Cairn.Repository.Format;

namespace Cairn.Maintenance.Tests.Forget;

/// <summary>
/// A repository made by the engine holding one empty tree and 200 snapshot documents with synthetic times spread
/// over 2018–2026 (clusters within hours and days, ISO-week and year boundaries, several UTC offsets, two
/// snapshots in the future), three hosts, tag sets including none, and path lists in either order.
/// </summary>
public sealed class SyntheticSnapshotRepository : IAsyncLifetime
{
    public string Path { get; } = Directory.CreateTempSubdirectory("cairn-forget-").FullName;

    public List<(Id Id, Snapshot Snapshot)> Snapshots { get; } = [];

    public async ValueTask InitializeAsync()
    {
        var random = new Random(20261127);
        string[] hosts = ["alpha", "beta", "gamma"];
        string[][] tagSets = [[], ["daily"], ["daily", "weekly"], ["weekly", "daily"], ["special"], ["special", "daily"]];
        string[][] pathSets = [["/data"], ["/data", "/etc"], ["/etc", "/data"], ["/home"]];
        int[] offsets = [0, 0, 0, 19800, -28800, 3600];
        var made = new List<Func<Id, Snapshot>>();
        foreach (var time in Times(random))
        {
            var offset = offsets[random.Next(offsets.Length)];
            var nanoseconds = (uint)random.Next(1_000_000_000);
            var paths = pathSets[random.Next(4) == 0 ? random.Next(2, 4) : random.Next(2)];
            var host = hosts[random.Next(hosts.Length)];
            var tags = tagSets[random.Next(tagSets.Length)];
            made.Add(treeId => new Snapshot
            {
                Time = new NodeTime(time.ToUnixTimeSeconds(), nanoseconds, offset),
                Tree = treeId,
                Paths = paths,
                Hostname = host,
                Username = "tester",
                Tags = tags.Length > 0 ? tags : null,
            });
        }

        Snapshots.AddRange(await SnapshotRepositoryBuilder.CreateAsync(RepositoryPath, made));
    }

    /// <summary>200 instants: scattered over years, bursts within a few hours, and days around New Year.</summary>
    private static IEnumerable<DateTimeOffset> Times(Random random)
    {
        var start = new DateTimeOffset(2018, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var end = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
        for (var i = 0; i < 120; i++)
        {
            yield return start.AddSeconds(random.NextInt64((long)(end - start).TotalSeconds));
        }

        for (var burst = 0; burst < 10; burst++)
        {
            var at = end.AddDays(-random.Next(400)).AddHours(random.Next(24));
            for (var i = 0; i < 5; i++)
            {
                yield return at.AddMinutes(random.Next(180));
            }
        }

        foreach (var year in new[] { 2020, 2022, 2023, 2025 })
        {
            for (var i = 0; i < 6; i++)
            {
                yield return new DateTimeOffset(year, 12, 28, 20, 0, 0, TimeSpan.Zero).AddHours(random.Next(24 * 7));
            }
        }

        for (var i = 0; i < 4; i++)
        {
            yield return end.AddDays(20).AddHours(random.Next(100));
        }

        yield return new DateTimeOffset(2031, 1, 1, 12, 0, 0, TimeSpan.Zero);
        yield return new DateTimeOffset(2031, 6, 1, 12, 0, 0, TimeSpan.Zero);
    }

    public ValueTask DisposeAsync()
    {
        Directory.Delete(Path, recursive: true);
        return ValueTask.CompletedTask;
    }

    public string RepositoryPath => System.IO.Path.Combine(Path, "repo");
}
