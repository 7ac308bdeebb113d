using Cairn.Cli.Tests.Infrastructure;
using Cairn.Repository;
using Cairn.Storage;
using Cairn.Testing.Trees;

namespace Cairn.Cli.Tests;

/// <summary>Issue 2, third must-show: cairn cuts a file exactly where restic does, so it adds no data blob restic stored.</summary>
public sealed class ChunkingAgreementTests : IDisposable
{
    private const int FileSize = 20 * 1024 * 1024;

    private readonly Workspace _workspace = new("cairn-chunks-");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _workspace.Dispose();

    [Fact]
    public async Task A_20_MiB_file_restic_backed_up_adds_no_data_blob_when_cairn_backs_it_up_again()
    {
        var folder = _workspace.Scratch.Combine("data");
        Directory.CreateDirectory(folder);
        var content = new byte[FileSize];
        new Random(31).NextBytes(content);
        await File.WriteAllBytesAsync(Path.Combine(folder, "random.bin"), content, Ct);
        await _workspace.InitAsync();
        var resticSummary = (await _workspace.Restic.RunAsync("backup", "--json", folder)).ShouldSucceed().Message("summary");

        // --force: without it cairn would take restic's snapshot as parent and not read the file at all.
        var cairnSummary = await _workspace.BackUpAsync("--force", folder);

        resticSummary.GetProperty("data_blobs").GetInt32().Should().BeGreaterThanOrEqualTo(3, "no chunk is larger than 8 MiB");
        cairnSummary.GetProperty("total_bytes_processed").GetInt64().Should().Be(FileSize);
        cairnSummary.GetProperty("data_blobs").GetInt32().Should().Be(0);
        cairnSummary.GetProperty("data_added").GetInt64().Should().Be(0);
        var resticBlobs = await FileContentAsync(resticSummary.GetProperty("snapshot_id").GetString()!, folder);
        var cairnBlobs = await FileContentAsync(cairnSummary.GetProperty("snapshot_id").GetString()!, folder);
        cairnBlobs.Should().Equal(resticBlobs).And.HaveCount(resticSummary.GetProperty("data_blobs").GetInt32());
        (await _workspace.Restic.RunAsync("check", "--read-data")).ShouldSucceed().Stdout.Should().Contain("no errors were found");
    }

    /// <summary>The data blob IDs of the one file under <paramref name="folder"/> in a snapshot, read with the engine.</summary>
    private async Task<IReadOnlyList<Id>> FileContentAsync(string snapshotId, string folder)
    {
        await using var repository = await ResticRepository.OpenAsync(new LocalObjectStore(_workspace.Repository), CairnCli.DefaultPassword, cancellationToken: Ct);
        await repository.LoadIndexAsync(Ct);
        // restic 0.14 reports the short ID in its summary, so look the snapshot up by prefix.
        var (_, snapshot) = await SnapshotFinder.FindAsync(repository, snapshotId, cancellationToken: Ct);
        var tree = snapshot.Tree;
        foreach (var name in folder.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            tree = (await repository.LoadTreeAsync(tree, Ct)).Single(n => n.Name.AsSpan().SequenceEqual(System.Text.Encoding.UTF8.GetBytes(name))).Subtree!.Value;
        }

        return (await repository.LoadTreeAsync(tree, Ct)).Single().Content!;
    }
}
