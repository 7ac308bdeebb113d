using Cairn.Cli.Tests.Infrastructure;
using Cairn.Testing.Trees;
using Cairn.Platform;

namespace Cairn.Cli.Tests;

/// <summary>restore --include/--exclude pick the same entries in cairn as in restic.</summary>
public sealed class RestoreFilterAgreementTests : IDisposable
{
    private readonly Workspace _workspace = new("cairn-filters-");

    public void Dispose() => _workspace.Dispose();

    [Fact]
    public async Task Cairn_and_restic_restore_the_same_entries_for_each_include_and_exclude_pattern()
    {
        var (source, _) = _workspace.BuildSample(seed: 81, small: true);
        await _workspace.InitAsync();
        var snapshot = (await _workspace.BackUpAsync(source.ToString())).GetProperty("snapshot_id").GetString()!;
        string[][] filters =
        [
            ["--include", $"{source}/owned"],
            ["--include", "small*"],
            ["--exclude", "*.bin", "--exclude", "sticky"],
            ["--exclude", $"{source}/owned/nested"],
            ["--include", "nested/*"],
        ];

        foreach (var (filter, i) in filters.Select((f, i) => (f, i)))
        {
            var byCairn = _workspace.Scratch.Combine($"cairn-{i}");
            var byRestic = _workspace.Scratch.Combine($"restic-{i}");
            (await _workspace.Cairn.RunAsync(["restore", snapshot, "--target", byCairn, .. filter])).ShouldSucceed();
            (await _workspace.Restic.RunAsync(["restore", snapshot, "--target", byRestic, .. filter])).ShouldSucceed();

            var restored = Entries(byCairn);
            restored.Should().Equal(Entries(byRestic), string.Join(' ', filter));
            restored.Should().NotBeEmpty(string.Join(' ', filter));
        }
    }

    /// <summary>Every path below <paramref name="top"/>, relative, sorted; none when restic created no folder at all.</summary>
    private static List<string> Entries(string top)
    {
        var entries = new List<string>();
        void Walk(RawPath folder, string shown)
        {
            foreach (var name in PosixFileSystem.ReadDirectory(folder))
            {
                var path = folder.Join(name);
                var child = $"{shown}/{RawPath.Display(name)}";
                entries.Add(child);
                if (PosixFileSystem.LStat(path).Kind == FileKind.Directory)
                {
                    Walk(path, child);
                }
            }
        }

        if (Directory.Exists(top))
        {
            Walk(RawPath.FromString(top), "");
        }

        return entries;
    }
}
