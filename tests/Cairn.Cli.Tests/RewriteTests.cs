using System.Security.Cryptography;
using System.Text.Json;
using Cairn.Cli.Tests.Infrastructure;
using Cairn.Testing.Trees;

namespace Cairn.Cli.Tests;

/// <summary>
/// cairn rewrite removes files from snapshots as restic 0.15's does, judged by restic 0.14: the new snapshot keeps
/// time, host, paths and tags, names its original and gets the tag "rewrite"; the original stays unless --forget;
/// unchanged subtrees are reused; --dry-run writes nothing; prune then frees the excluded data.
/// </summary>
public sealed class RewriteTests : IDisposable
{
    private readonly Workspace _workspace = new("cairn-rewrite-");

    public void Dispose() => _workspace.Dispose();

    private string Source => _workspace.Scratch.Combine("source");

    [Fact]
    public async Task The_rewritten_snapshot_lacks_the_excluded_file_and_the_original_keeps_it()
    {
        var original = await BackUpSourceAsync("--tag", "daily", "--host", "box");

        var result = (await _workspace.Cairn.RunAsync("rewrite", "--exclude", "secret.txt", original[..8])).ShouldSucceed();

        result.Stdout.Should().Contain($"excluding {Source}/secret.txt").And.Contain("saved new snapshot").And.Contain("modified 1 snapshots");
        var snapshots = ListedSnapshot.Parse((await _workspace.Restic.RunAsync("snapshots", "--json")).ShouldSucceed().Stdout);
        snapshots.Should().HaveCount(2);
        var before = snapshots.Single(s => s.Id == original);
        var after = snapshots.Single(s => s.Id != original);
        after.Original.Should().Be(original);
        after.Tags.Should().Equal("daily", "rewrite");
        after.Time.Should().Be(before.Time);
        after.Host.Should().Be("box");
        after.Paths.Should().Equal(before.Paths);
        (await ListAsync(after.Id)).Should().NotContain($"{Source}/secret.txt").And.Contain($"{Source}/sub/keep.txt").And.Contain($"{Source}/big/data.bin");
        (await ListAsync(original)).Should().Contain($"{Source}/secret.txt");
        (await _workspace.Restic.RunAsync("check", "--read-data")).ShouldSucceed();
    }

    [Fact]
    public async Task Only_the_trees_on_the_way_to_an_excluded_file_are_new()
    {
        var original = await BackUpSourceAsync();

        (await _workspace.Cairn.RunAsync("rewrite", "--exclude", $"{Source}/sub/drop.txt", original)).ShouldSucceed();

        var rewritten = ListedSnapshot.Parse((await _workspace.Restic.RunAsync("snapshots", "--json")).ShouldSucceed().Stdout).Single(s => s.Id != original);
        var oldSource = await SourceTreeAsync(original);
        var newSource = await SourceTreeAsync(rewritten.Id);
        Subtree(newSource, "big").Should().Be(Subtree(oldSource, "big"), "an untouched folder keeps its tree");
        Subtree(newSource, "sub").Should().NotBe(Subtree(oldSource, "sub"));
        (await ListAsync(rewritten.Id)).Should().NotContain($"{Source}/sub/drop.txt").And.Contain($"{Source}/sub/keep.txt");
        (await _workspace.Restic.RunAsync("check", "--read-data")).ShouldSucceed();
    }

    [Fact]
    public async Task Iexclude_and_exclude_files_match_as_restic_documents()
    {
        var original = await BackUpSourceAsync();
        var patterns = _workspace.Scratch.Combine("patterns.txt");
        File.WriteAllLines(patterns, ["# a comment", "", "BIG"]);
        File.WriteAllLines(patterns + ".exact", ["drop.txt"]);

        (await _workspace.Cairn.RunAsync("rewrite", "--iexclude", "SECRET.TXT", "--iexclude-file", patterns, "--exclude-file", patterns + ".exact", "--forget", original))
            .ShouldSucceed();

        var snapshots = ListedSnapshot.Parse((await _workspace.Restic.RunAsync("snapshots", "--json")).ShouldSucceed().Stdout);
        var rewritten = snapshots.Should().ContainSingle().Which;
        rewritten.Original.Should().Be(original);
        rewritten.Tags.Should().BeEmpty("with --forget no tag is added");
        var listed = await ListAsync(rewritten.Id);
        listed.Should().NotContain([$"{Source}/secret.txt", $"{Source}/big", $"{Source}/sub/drop.txt"]);
        listed.Should().Contain($"{Source}/sub/keep.txt");
    }

    [Fact]
    public async Task A_snapshot_restic_wrote_is_rewritten_and_restic_reads_the_result()
    {
        await BackUpSourceAsync();
        (await _workspace.Restic.RunAsync("backup", "-q", "--host", "restic-made", Source)).ShouldSucceed();
        var byRestic = ListedSnapshot.Parse((await _workspace.Restic.RunAsync("snapshots", "--json", "--host", "restic-made")).ShouldSucceed().Stdout).Single();

        (await _workspace.Cairn.RunAsync("rewrite", "--host", "restic-made", "--exclude", "drop.txt")).ShouldSucceed().Stdout.Should().Contain("modified 1 snapshots");

        var rewritten = ListedSnapshot.Parse((await _workspace.Restic.RunAsync("snapshots", "--json", "--tag", "rewrite")).ShouldSucceed().Stdout).Single();
        rewritten.Original.Should().Be(byRestic.Id);
        rewritten.Host.Should().Be("restic-made");
        (await ListAsync(rewritten.Id)).Should().NotContain($"{Source}/sub/drop.txt").And.Contain($"{Source}/big/data.bin");
        (await _workspace.Restic.RunAsync("check", "--read-data")).ShouldSucceed();
    }

    [Fact]
    public async Task A_snapshot_with_nothing_excluded_is_left_alone()
    {
        var original = await BackUpSourceAsync();
        var before = RepositoryFiles();

        var result = (await _workspace.Cairn.RunAsync("rewrite", "--exclude", "no-such-name", "--forget")).ShouldSucceed();

        result.Stdout.Should().Contain($"snapshot {original[..8]} not modified").And.Contain("no snapshots were modified");
        RepositoryFiles().Where(f => !f.Key.StartsWith("locks", StringComparison.Ordinal)).Should().BeEquivalentTo(before);
    }

    [Fact]
    public async Task Dry_run_changes_nothing()
    {
        await BackUpSourceAsync();
        var before = RepositoryFiles();

        var result = (await _workspace.Cairn.RunAsync("rewrite", "--dry-run", "--forget", "--exclude", "secret.txt")).ShouldSucceed();

        result.Stdout.Should().Contain($"excluding {Source}/secret.txt").And.Contain("would save new snapshot").And.Contain("would remove old snapshot")
            .And.Contain("would modify 1 snapshots");
        RepositoryFiles().Where(f => !f.Key.StartsWith("locks", StringComparison.Ordinal)).Should().BeEquivalentTo(before);
    }

    [Fact]
    public async Task Prune_then_frees_the_data_of_the_excluded_files()
    {
        var original = await BackUpSourceAsync();
        var dataBefore = DataBytes();

        (await _workspace.Cairn.RunAsync("rewrite", "--exclude", "big", "--forget", original)).ShouldSucceed().Stdout.Should().Contain($"removed old snapshot {original[..8]}");
        DataBytes().Should().BeGreaterThanOrEqualTo(dataBefore, "rewrite only adds; the excluded data stays in its packs");
        (await _workspace.Cairn.RunAsync("prune")).ShouldSucceed();

        DataBytes().Should().BeLessThan(dataBefore - BigFileSize / 2);
        (await _workspace.Restic.RunAsync("check", "--read-data")).ShouldSucceed();
        (await _workspace.Restic.RunAsync("restore", "latest", "--target", _workspace.Scratch.Combine("restored"))).ShouldSucceed();
        File.ReadAllText(_workspace.Scratch.Combine("restored") + $"{Source}/sub/keep.txt").Should().Be("keep");
    }

    [Fact]
    public async Task Without_excludes_rewrite_refuses_and_changes_nothing()
    {
        await BackUpSourceAsync();
        var before = RepositoryFiles();

        (await _workspace.Cairn.RunAsync("rewrite", "--forget")).ShouldFailWith(1, "nothing to do");
        RepositoryFiles().Should().BeEquivalentTo(before);
    }

    private const int BigFileSize = 3 << 20;

    /// <summary>source/{secret.txt, sub/{keep.txt, drop.txt}, big/data.bin (3 MiB of random bytes)}, backed up by cairn.</summary>
    private async Task<string> BackUpSourceAsync(params string[] flags)
    {
        Directory.CreateDirectory(Path.Combine(Source, "sub"));
        Directory.CreateDirectory(Path.Combine(Source, "big"));
        File.WriteAllText(Path.Combine(Source, "secret.txt"), "password");
        File.WriteAllText(Path.Combine(Source, "sub", "keep.txt"), "keep");
        File.WriteAllText(Path.Combine(Source, "sub", "drop.txt"), "drop");
        File.WriteAllBytes(Path.Combine(Source, "big", "data.bin"), RandomNumberGenerator.GetBytes(BigFileSize));
        await _workspace.InitAsync();
        return (await _workspace.BackUpAsync([.. flags, Source])).GetProperty("snapshot_id").GetString()!;
    }

    private async Task<string[]> ListAsync(string snapshot) =>
        [.. (await _workspace.Restic.RunAsync("ls", snapshot)).ShouldSucceed().Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1)];

    /// <summary>The tree of the source folder in a snapshot, read by restic (cat snapshot, then cat blob down the path).</summary>
    private async Task<JsonElement> SourceTreeAsync(string snapshot)
    {
        using var document = JsonDocument.Parse((await _workspace.Restic.RunAsync("cat", "snapshot", snapshot)).ShouldSucceed().Stdout);
        var tree = document.RootElement.GetProperty("tree").GetString()!;
        foreach (var name in Source.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            tree = Subtree(await TreeAsync(tree), name);
        }

        return await TreeAsync(tree);
    }

    private async Task<JsonElement> TreeAsync(string id)
    {
        using var document = JsonDocument.Parse((await _workspace.Restic.RunAsync("cat", "blob", id)).ShouldSucceed().Stdout);
        return document.RootElement.Clone();
    }

    private static string Subtree(JsonElement tree, string name) =>
        tree.GetProperty("nodes").EnumerateArray().Single(n => n.GetProperty("name").GetString() == name).GetProperty("subtree").GetString()!;

    /// <summary>Every file of the repository folder with the SHA-256 of its bytes.</summary>
    private Dictionary<string, string> RepositoryFiles() =>
        Directory.EnumerateFiles(_workspace.Repository, "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(_workspace.Repository, f), f => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f))));

    private long DataBytes() =>
        Directory.EnumerateFiles(Path.Combine(_workspace.Repository, "data"), "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);
}
