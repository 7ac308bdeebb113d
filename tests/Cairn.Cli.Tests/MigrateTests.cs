using System.Text.Json;
using Cairn.Cli.Tests.Infrastructure;
using Cairn.Testing.Trees;
using Cairn.Platform;

namespace Cairn.Cli.Tests;

/// <summary>Issue 17, item 7: migrate upgrade_repo_v2 makes a restic version-1 repository version 2, as restic 0.14 then reads it.</summary>
public sealed class MigrateTests : IDisposable
{
    private readonly Workspace _workspace = new("cairn-migrate-");

    public void Dispose() => _workspace.Dispose();

    private RawPath Source(string name, byte[] content)
    {
        var source = _workspace.Scratch.Raw.Join(System.Text.Encoding.UTF8.GetBytes(name));
        var tree = new TreeBuilder(source);
        tree.File(source.Join("data.txt"u8), content, new EntryMetadata());
        tree.Finish();
        return source;
    }

    /// <summary>Text that zstd shrinks a lot, so compressed new data is easy to tell from version-1 data.</summary>
    private static byte[] Compressible(int lines) =>
        System.Text.Encoding.UTF8.GetBytes(string.Concat(Enumerable.Range(0, lines).Select(i => $"line {i} of a log file that repeats itself\n")));

    private static string TempBackups() => string.Join(',', Directory.GetDirectories(Path.GetTempPath(), "cairn-migrate-upgrade_repo_v2-*"));

    [Fact]
    public async Task A_restic_version_1_repository_becomes_version_2_that_restic_reads_and_keeps_its_old_data()
    {
        (await _workspace.Restic.RunAsync("init", "--repository-version", "1")).ShouldSucceed();
        var old = Source("old", Compressible(20_000));
        (await _workspace.Restic.RunAsync("backup", old.ToString())).ShouldSucceed();
        var backupsBefore = TempBackups();

        (await _workspace.Cairn.RunAsync("migrate")).ShouldSucceed().Stdout.Should().Contain("available migrations:\n  upgrade_repo_v2\tupgrade a repository to version 2");
        var migrated = (await _workspace.Cairn.RunAsync("migrate", "upgrade_repo_v2")).ShouldSucceed();

        migrated.Stdout.Should().Contain("checking repository integrity...").And.Contain("applying migration upgrade_repo_v2...").And.EndWith("migration upgrade_repo_v2: success\n");
        var config = JsonDocument.Parse((await _workspace.Restic.RunAsync("cat", "config")).ShouldSucceed().Stdout).RootElement;
        config.GetProperty("version").GetInt32().Should().Be(2);
        (await _workspace.Restic.RunAsync("migrate")).ShouldSucceed().Stdout.Should().Contain("no migrations found");
        TempBackups().Should().Be(backupsBefore, "the backup of the old config is removed once the new one is written");

        var before = await RawDataSizeAsync();
        var added = Source("new", Compressible(40_000));
        (await _workspace.Cairn.RunAsync("backup", added.ToString())).ShouldSucceed();
        (await _workspace.Restic.RunAsync("check", "--read-data")).ShouldSucceed().Stdout.Should().Contain("no errors were found");
        // restic 0.14's stats have no uncompressed total: the growth of the stored blobs tells instead.
        (await RawDataSizeAsync() - before).Should().BeLessThan(Compressible(40_000).Length / 2, "the new data went in compressed");

        var target = _workspace.Scratch.Combine("restored");
        (await _workspace.Restic.RunAsync("restore", "latest", "--path", added.ToString(), "--target", target)).ShouldSucceed();
        File.ReadAllBytes(target + added + "/data.txt").Should().Equal(Compressible(40_000));
        var cairnTarget = _workspace.Scratch.Combine("restored-by-cairn");
        (await _workspace.Cairn.RunAsync("restore", "latest", "--path", old.ToString(), "--target", cairnTarget)).ShouldSucceed();
        File.ReadAllBytes(cairnTarget + old + "/data.txt").Should().Equal(Compressible(20_000), "version-1 data stays readable");
    }

    [Fact]
    public async Task A_version_2_repository_is_not_migrated_again_and_is_left_unchanged()
    {
        await _workspace.InitAsync();
        var config = Path.Combine(_workspace.Repository, "config");
        var before = File.ReadAllBytes(config);

        (await _workspace.Cairn.RunAsync("migrate")).ShouldSucceed().Stdout.Should().Be("available migrations:\nno migrations found\n");
        var refused = await _workspace.Cairn.RunAsync("migrate", "upgrade_repo_v2");
        var unknown = await _workspace.Cairn.RunAsync("migrate", "upgrade_repo_v9");

        refused.ExitCode.Should().Be(1, refused.ToString());
        refused.Stderr.Should().StartWith("Fatal: migration upgrade_repo_v2 cannot be applied: repository is already upgraded to version 2");
        unknown.ShouldFailWith(1, "migration upgrade_repo_v9 not found");
        File.ReadAllBytes(config).Should().Equal(before);
    }

    private async Task<long> RawDataSizeAsync()
        => JsonDocument.Parse((await _workspace.Restic.RunAsync("stats", "--mode", "raw-data", "--json")).ShouldSucceed().Stdout)
            .RootElement.GetProperty("total_size").GetInt64();
}
