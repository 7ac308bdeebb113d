using System.Text.Json;
using Cairn.Cli.Tests.Infrastructure;
using Cairn.Testing.Trees;
using Cairn.Platform;

namespace Cairn.Cli.Tests;

/// <summary>Issue 17, item 7: recover brings back the trees of a forgotten snapshot; cache lists and cleans the cache folders.</summary>
public sealed class RecoverAndCacheTests : IDisposable
{
    private readonly Workspace _workspace = new("cairn-recover-");

    public void Dispose() => _workspace.Dispose();

    private RawPath Source(string name, string content)
    {
        var source = _workspace.Scratch.Raw.Join(System.Text.Encoding.UTF8.GetBytes(name));
        var tree = new TreeBuilder(source);
        tree.File(source.Join("data.txt"u8), System.Text.Encoding.UTF8.GetBytes(content), new EntryMetadata());
        tree.Finish();
        return source;
    }

    [Fact]
    public async Task Recover_makes_a_snapshot_of_the_tree_a_forget_left_behind_that_restic_reads()
    {
        await _workspace.InitAsync();
        var lost = Source("lost", "forgotten by accident");
        var kept = Source("kept", "still here");
        var first = (await _workspace.BackUpAsync(lost.ToString())).GetProperty("snapshot_id").GetString()!;
        await _workspace.BackUpAsync(kept.ToString());
        (await _workspace.Restic.RunAsync("forget", first)).ShouldSucceed();

        var recovered = (await _workspace.Cairn.RunAsync("recover")).ShouldSucceed();

        recovered.Stdout.Should().Contain("found 1 unreferenced roots").And.Contain("saved new snapshot ");
        var snapshots = JsonDocument.Parse((await _workspace.Restic.RunAsync("snapshots", "--json")).ShouldSucceed().Stdout).RootElement.EnumerateArray().ToList();
        var recovery = snapshots.Should().ContainSingle(s => s.GetProperty("paths")[0].GetString() == "/recover").Subject;
        var listing = (await _workspace.Restic.RunAsync("ls", recovery.GetProperty("id").GetString()!)).ShouldSucceed().Stdout;
        listing.Should().MatchRegex($"/[0-9a-f]{{64}}{System.Text.RegularExpressions.Regex.Escape(lost.ToString())}/data.txt");
        (await _workspace.Restic.RunAsync("check", "--read-data")).ShouldSucceed();

        var again = (await _workspace.Cairn.RunAsync("recover")).ShouldSucceed();
        again.Stdout.Should().Contain("found 0 unreferenced roots").And.Contain("no snapshot to write.");
    }

    [Fact]
    public async Task Cache_lists_repository_folders_with_age_and_size_and_cleanup_removes_only_the_old_ones()
    {
        var home = _workspace.Scratch.Combine("xdg-cache");
        var root = Path.Combine(home, "cairn");
        var old = Path.Combine(root, new string('a', 64));
        var recent = Path.Combine(root, new string('b', 64));
        var other = Path.Combine(root, "not-a-repository");
        foreach (var folder in new[] { old, recent, other })
        {
            Directory.CreateDirectory(Path.Combine(folder, "data"));
            File.WriteAllBytes(Path.Combine(folder, "data", "blob"), new byte[2048]);
        }

        Directory.SetLastWriteTimeUtc(old, DateTime.UtcNow.AddDays(-40));
        Directory.SetLastWriteTimeUtc(other, DateTime.UtcNow.AddDays(-400));
        var environment = new Dictionary<string, string> { ["XDG_CACHE_HOME"] = home };

        var listed = (await CairnCli.RunAsync(environment, ["cache"])).ShouldSucceed();
        var cleaned = (await CairnCli.RunAsync(environment, ["cache", "--cleanup"])).ShouldSucceed();

        listed.Stdout.Split('\n').Should().Contain(l => l.StartsWith("aaaaaaaaaa  40 days ago  yes", StringComparison.Ordinal) && l.EndsWith("2.000 KiB", StringComparison.Ordinal));
        listed.Stdout.Split('\n').Should().Contain(l => l.StartsWith("bbbbbbbbbb  0 days ago", StringComparison.Ordinal));
        listed.Stdout.Should().Contain($"2 cache dirs in {root}").And.NotContain("not-a-repository");
        cleaned.Stdout.Should().Contain($"removed 1 old cache dirs from {root}");
        Directory.Exists(old).Should().BeFalse();
        Directory.Exists(recent).Should().BeTrue();
        Directory.Exists(other).Should().BeTrue("only folders named by a repository ID are cache folders");
    }
}
