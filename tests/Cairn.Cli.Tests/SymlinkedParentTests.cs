using Cairn.Cli.Tests.Infrastructure;
using Cairn.Testing.Trees;

namespace Cairn.Cli.Tests;

/// <summary>A backup path reached through a symlinked folder is stored and restored as restic does it.</summary>
public sealed class SymlinkedParentTests : IDisposable
{
    private readonly Workspace _workspace = new("cairn-linked-parent-");

    public void Dispose() => _workspace.Dispose();

    [Fact]
    public async Task A_folder_below_a_symlinked_parent_is_stored_as_a_folder_and_restored_with_its_files()
    {
        Directory.CreateDirectory(_workspace.Scratch.Combine("real", "dir"));
        await File.WriteAllTextAsync(_workspace.Scratch.Combine("real", "dir", "file"), "kept", TestContext.Current.CancellationToken);
        File.CreateSymbolicLink(_workspace.Scratch.Combine("link"), "real");
        var path = _workspace.Scratch.Combine("link", "dir");
        await _workspace.InitAsync();
        var byRestic = (await _workspace.Restic.RunAsync("backup", "--json", path)).ShouldSucceed().Message("summary").GetProperty("snapshot_id").GetString()!;
        var byCairn = (await _workspace.BackUpAsync("--force", path)).GetProperty("snapshot_id").GetString()!;

        (await TypedPathsAsync(byCairn)).Should().Equal(await TypedPathsAsync(byRestic));
        var target = _workspace.Scratch.Combine("restored");
        (await _workspace.Cairn.RunAsync("restore", byCairn, "--target", target)).ShouldSucceed();
        (await File.ReadAllTextAsync(target + path + "/file", TestContext.Current.CancellationToken)).Should().Be("kept");
    }

    /// <summary>"type path" of every entry, as restic's ls --json reports them.</summary>
    private async Task<List<string>> TypedPathsAsync(string snapshot) =>
        [.. (await _workspace.Restic.RunAsync("ls", "--json", snapshot)).ShouldSucceed().JsonLines().Skip(1)
            .Select(n => $"{n.GetProperty("type").GetString()} {n.GetProperty("path").GetString()}")];
}
