using System.Text.Json.Nodes;
using Cairn.Cli.Tests.Infrastructure;
using Cairn.Testing.Trees;

namespace Cairn.Cli.Tests;

/// <summary>
/// cairn snapshots prints what restic 0.14's prints for the same repository: the full and compact tables,
/// --latest, --group-by headings and tables, and the --json forms. restic prints groups in a random order (a Go
/// map), so grouped listings are compared group by group.
/// </summary>
public sealed class SnapshotsListingAgreementTests : IDisposable
{
    private readonly Workspace _workspace = new("cairn-snapshots-");

    public void Dispose() => _workspace.Dispose();

    private static readonly string[][] s_flagSets =
    [
        [],
        ["--compact"],
        ["-c", "--latest", "1"],
        ["--latest", "1"],
        ["--latest", "2", "--path", "/tmp/never"],
        ["--group-by", "host"],
        ["--group-by", "paths", "-c"],
        ["--group-by", "tags"],
        ["--group-by", "host,tags"],
        ["--group-by", "tags,paths,host", "--compact"],
        ["--group-by", "host", "--latest", "1"],
        ["--host", "alpha", "--tag", "daily", "--tag", "weekly,far"],
        ["--tag", ""],
        ["--path", "nowhere"],
        ["latest", "--host", "beta"],
    ];

    [Fact]
    public async Task Every_listing_is_the_one_restic_prints()
    {
        await BuildRepositoryAsync();

        foreach (var flags in s_flagSets)
        {
            var byRestic = (await _workspace.Restic.RunAsync(["snapshots", .. flags])).ShouldSucceed().Stdout;
            var byCairn = (await _workspace.Cairn.RunAsync(["snapshots", .. flags])).ShouldSucceed().Stdout;

            Blocks(byCairn).Should().BeEquivalentTo(Blocks(byRestic), $"snapshots {string.Join(' ', flags)}:\n{byCairn}\n---\n{byRestic}");
            if (!flags.Contains("--group-by"))
            {
                byCairn.Should().Be(byRestic, $"snapshots {string.Join(' ', flags)}");
            }
        }
    }

    [Fact]
    public async Task Every_json_listing_is_the_one_restic_prints()
    {
        await BuildRepositoryAsync();

        foreach (var flags in s_flagSets.Where(f => !f.Contains("--compact") && !f.Contains("-c")))
        {
            var byRestic = (await _workspace.Restic.RunAsync(["snapshots", "--json", .. flags])).ShouldSucceed().Stdout;
            var byCairn = (await _workspace.Cairn.RunAsync(["--json", "snapshots", .. flags])).ShouldSucceed().Stdout;

            Normalized(byCairn).Should().BeEquivalentTo(Normalized(byRestic), $"snapshots --json {string.Join(' ', flags)}");
        }
    }

    [Fact]
    public async Task An_unknown_grouping_fails_as_restic_does()
    {
        await _workspace.InitAsync();

        (await _workspace.Restic.RunAsync("snapshots", "--group-by", "host,planet")).ExitCode.Should().Be(1);
        (await _workspace.Cairn.RunAsync("snapshots", "--group-by", "host,planet")).ShouldFailWith(1, "planet");
    }

    /// <summary>
    /// Snapshots by restic and by cairn, of three hosts, with and without tags, one of two paths given in
    /// reverse order, and host names and tags long enough to widen their columns.
    /// </summary>
    private async Task BuildRepositoryAsync()
    {
        await _workspace.InitAsync();
        var first = Folder("first", "one");
        var second = Folder("second", "two");
        string[][] resticBackups =
        [
            ["--host", "alpha", "--tag", "daily", first],
            ["--host", "alpha", first],
            ["--host", "beta", "--tag", "weekly,far", second, first],
            ["--host", "a-rather-long-host-name", "--tag", "a-rather-long-tag,daily", second],
            ["--host", "alpha", "--tag", "daily", first],
        ];
        foreach (var backup in resticBackups)
        {
            (await _workspace.Restic.RunAsync(["backup", "-q", .. backup])).ShouldSucceed();
        }

        (await _workspace.Cairn.RunAsync("backup", "--host", "beta", "--tag", "far", second)).ShouldSucceed();
    }

    private string Folder(string name, string content)
    {
        var folder = _workspace.Scratch.Combine(name);
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "file.txt"), content);
        return folder;
    }

    /// <summary>The listing cut into groups: each starts at its heading, or at a table header when it has none.</summary>
    private static List<string> Blocks(string listing)
    {
        var blocks = new List<string>();
        var lines = listing.TrimEnd('\n').Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var startsGroup = lines[i].StartsWith("snapshots for (", StringComparison.Ordinal)
                || (lines[i].StartsWith("ID ", StringComparison.Ordinal) && (i == 0 || !lines[i - 1].StartsWith("snapshots for (", StringComparison.Ordinal)));
            if (startsGroup || blocks.Count == 0)
            {
                blocks.Add("");
            }

            blocks[^1] += lines[i] + "\n";
        }

        return blocks;
    }

    /// <summary>The JSON's groups, and the snapshots in each, as sorted canonical strings.</summary>
    private static List<string> Normalized(string json)
    {
        var array = JsonNode.Parse(json)!.AsArray();
        return [.. array.Select(item => item!["group_key"] is { } key
            ? Canonical(key) + string.Join("|", item["snapshots"]!.AsArray().Select(Canonical).Order(StringComparer.Ordinal))
            : Canonical(item)).Order(StringComparer.Ordinal)];
    }

    /// <summary>Canonical JSON, without program_version: restic 0.14 does not know that field (0.17's) and leaves it out.</summary>
    private static string Canonical(JsonNode? node) => node switch
    {
        JsonObject o => "{" + string.Join(",", o.Where(p => p.Key != "program_version").OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"\"{p.Key}\":{Canonical(p.Value)}")) + "}",
        JsonArray a => "[" + string.Join(",", a.Select(Canonical)) + "]",
        null => "null",
        _ => node.ToJsonString(),
    };
}
