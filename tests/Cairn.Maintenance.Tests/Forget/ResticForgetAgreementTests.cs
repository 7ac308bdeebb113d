using System.Text.Json;

namespace Cairn.Maintenance.Tests.Forget;

/// <summary>
/// <c>cairn forget --dry-run --json</c> and <c>restic forget --dry-run --json</c> (restic 0.14, real process) over the
/// same 200 synthetic snapshots: the same groups, the same kept and removed snapshots, the same reasons.
/// </summary>
public sealed class ResticForgetAgreementTests(SyntheticSnapshotRepository repository) : IClassFixture<SyntheticSnapshotRepository>
{
    public static TheoryData<string> Policies => new()
    {
        "--keep-last 7",
        "--keep-hourly 10",
        "--keep-daily 15",
        "--keep-weekly 12",
        "--keep-monthly 9",
        "--keep-yearly 3",
        "--keep-within 1y2m",
        "--keep-within 45d",
        "--keep-within 2m3d4h",
        "--keep-within-hourly 3d",
        "--keep-within-daily 2m",
        "--keep-within-weekly 6m",
        "--keep-within-monthly 2y",
        "--keep-within-yearly 5y",
        "--keep-tag special",
        "--keep-tag daily,weekly --keep-tag ''",
        "--keep-daily 7 --keep-weekly 5 --keep-monthly 12 --keep-yearly 75",
        "--keep-last 3 --keep-within-daily 7d --keep-tag special",
        "--keep-hourly 5 --keep-within 1m15d --keep-within-weekly 1y",
        "--keep-daily 4 --group-by ''",
        "--keep-weekly 6 --keep-within-monthly 1y --group-by host",
        "--keep-monthly 5 --keep-tag weekly --group-by paths,tags",
        "--keep-last 2 --keep-yearly 2 --group-by host,paths,tags",
        "--keep-within 6m --keep-hourly 20 --group-by tags",
        "--keep-daily 10 --host alpha --tag daily",
        "--keep-weekly 3 --path /data --group-by ''",
        "--keep-monthly 2 --tag '' --tag special,daily --group-by host",
        "--keep-last 0",
    };

    [Theory]
    [MemberData(nameof(Policies))]
    public async Task Cairn_keeps_and_removes_exactly_what_restic_keeps_and_removes(string policy)
    {
        string[] arguments = ["forget", "--dry-run", "--json", .. SplitArguments(policy)];
        var restic = await ExternalProcess.ResticAsync(repository.RepositoryPath, ["--no-lock", .. arguments]);
        var cairn = await ExternalProcess.CairnAsync(repository.RepositoryPath, ["--no-lock", .. arguments]);
        restic.ExitCode.Should().Be(0, restic.Stderr);
        cairn.ExitCode.Should().Be(0, cairn.Stderr);

        var expected = Summarize(restic.Stdout);
        var actual = Summarize(cairn.Stdout);
        actual.Keys.Should().BeEquivalentTo(expected.Keys, "both must form the same groups");
        foreach (var (group, decision) in expected)
        {
            actual[group].Kept.Should().BeEquivalentTo(decision.Kept, $"group {group} must keep the same snapshots");
            actual[group].Removed.Should().BeEquivalentTo(decision.Removed, $"group {group} must remove the same snapshots");
            actual[group].Reasons.Should().BeEquivalentTo(decision.Reasons, options => options.WithStrictOrdering(), $"group {group} must give the same reasons");
        }

        var keptCount = expected.Values.Sum(d => d.Kept.Count);
        if (policy != "--keep-last 0")
        {
            keptCount.Should().BeGreaterThan(0, "every policy here keeps something");
        }
    }

    [Fact]
    public void The_synthetic_snapshots_cover_hosts_tags_years_offsets_and_the_future()
    {
        var snapshots = repository.Snapshots.Select(s => s.Snapshot).ToList();
        snapshots.Should().HaveCount(200);
        snapshots.Select(s => s.Hostname).Distinct().Should().HaveCount(3);
        snapshots.Select(s => s.Time.ToDateTimeOffset().Year).Distinct().Count().Should().BeGreaterThan(6);
        snapshots.Select(s => s.Time.OffsetSeconds).Distinct().Count().Should().BeGreaterThan(3);
        snapshots.Should().Contain(s => s.Tags == null).And.Contain(s => s.Tags != null && s.Tags.Count == 2);
        snapshots.Should().Contain(s => s.Time.ToDateTimeOffset() > DateTimeOffset.UtcNow);
    }

    private sealed record Decision(HashSet<string> Kept, HashSet<string> Removed, List<string> Reasons);

    /// <summary>Groups by "host|paths|tags" with kept and removed IDs and one "id: reasons" line per kept snapshot.</summary>
    private static Dictionary<string, Decision> Summarize(string json)
    {
        var result = new Dictionary<string, Decision>();
        if (string.IsNullOrWhiteSpace(json))
        {
            return result;
        }

        using var document = JsonDocument.Parse(json);
        foreach (var group in document.RootElement.EnumerateArray())
        {
            var key = $"{group.GetProperty("host").GetString()}|{Join(group.GetProperty("paths"))}|{Join(group.GetProperty("tags"))}";
            var kept = Ids(group.GetProperty("keep"));
            var reasons = new List<string>();
            var reasonArray = group.GetProperty("reasons");
            for (var i = 0; i < kept.Count; i++)
            {
                var reason = reasonArray[i];
                var counters = string.Join(",", reason.GetProperty("counters").EnumerateObject().Select(c => $"{c.Name}={c.Value.GetInt32()}").Order(StringComparer.Ordinal));
                reasons.Add($"{kept[i]} {reason.GetProperty("snapshot").GetProperty("time").GetString()}: {Join(reason.GetProperty("matches"))} [{counters}]");
            }

            result.Add(key, new Decision([.. kept], [.. Ids(group.GetProperty("remove"))], reasons));
        }

        return result;
    }

    private static List<string> Ids(JsonElement array) =>
        array.ValueKind == JsonValueKind.Null ? [] : [.. array.EnumerateArray().Select(s => s.GetProperty("id").GetString()!)];

    private static string Join(JsonElement array) =>
        array.ValueKind == JsonValueKind.Null ? "-" : string.Join(",", array.EnumerateArray().Select(e => e.GetString()));

    /// <summary>Splits on spaces; '' stands for an empty argument.</summary>
    private static IEnumerable<string> SplitArguments(string text) =>
        text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(a => a == "''" ? "" : a);
}
