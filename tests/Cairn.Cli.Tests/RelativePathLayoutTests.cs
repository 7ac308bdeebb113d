using Cairn.Cli.Tests.Infrastructure;
using Cairn.Testing.Trees;

namespace Cairn.Cli.Tests;

/// <summary>Relative backup paths are laid out in the snapshot as restic lays them out.</summary>
public sealed class RelativePathLayoutTests : IDisposable
{
    private readonly Workspace _workspace = new("cairn-relative-");

    public void Dispose() => _workspace.Dispose();

    [Fact]
    public async Task Cairn_stores_relative_paths_where_restic_stores_them()
    {
        var cwd = _workspace.Scratch.Combine("top", "work");
        Directory.CreateDirectory(Path.Combine(cwd, "sub", "deeper"));
        await File.WriteAllTextAsync(Path.Combine(cwd, "sub", "deeper", "file"), "x", TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(Path.Combine(cwd, "sibling"), "y", TestContext.Current.CancellationToken);
        await _workspace.InitAsync();

        foreach (var path in new[] { "sub", "sub/deeper/..", ".", "..", "../work/sub", "sub/../../work/sibling" })
        {
            var byRestic = (await _workspace.Restic.RunInAsync(cwd, "backup", "--json", path)).ShouldSucceed().Message("summary").GetProperty("snapshot_id").GetString()!;
            var byCairn = (await _workspace.Cairn.RunInAsync(cwd, "--json", "backup", "--force", path)).ShouldSucceed().Message("summary").GetProperty("snapshot_id").GetString()!;

            var cairnListing = Listing(await _workspace.Cairn.RunAsync("ls", byCairn));
            var resticListing = Listing(await _workspace.Restic.RunAsync("ls", byRestic));
            cairnListing.Should().Equal(resticListing, $"backing up \"{path}\"");
        }
    }

    /// <summary>The paths an ls printed, without its header line.</summary>
    private static string[] Listing(ProgramResult ls) =>
        [.. ls.ShouldSucceed().Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1)];
}
