using Cairn.Backup;
using Cairn.Testing.Trees;
using Cairn.Platform;
using Cairn.Repository;
using Cairn.Repository.Filtering;
using Cairn.Repository.Format;

namespace Cairn.Engine.Tests;

/// <summary>
/// What the walk takes instead of asking again: a scan's listings, the parent snapshot's nodes and trees. Each must
/// give the snapshot a walk of its own would give.
/// </summary>
public sealed class WalkReuseTests : IDisposable
{
    private readonly Scratch _scratch = new("cairn-reuse-");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _scratch.Dispose();

    [Fact]
    public async Task A_walk_that_takes_a_scan_s_listings_makes_the_tree_a_walk_of_its_own_makes()
    {
        var source = _scratch.Raw.Join("source"u8);
        SampleSource.Build(source, seed: 5, largeFileSize: 100_000);
        await using var engine = await EngineHarness.CreateAsync(Ct);
        var (_, own) = await engine.BackUpAsync(source.ToString(), Ct);

        var scanner = new SourceScanner([source.ToString()], new PathPatternSet([]));
        scanner.Scan(Ct);
        var (summary, listed) = await engine.BackUpAsync(source.ToString(), Ct, listings: scanner);

        (await SourceTreeAsync(engine, listed, source)).Should().Be(await SourceTreeAsync(engine, own, source));
        summary.FilesNew.Should().BeGreaterThan(5);
        scanner.Take(PosixFileSystem.LStat(source)).Should().BeNull("the walk took the source folder's listing");
    }

    [Fact]
    public async Task A_scan_running_beside_the_walk_gives_the_same_tree_whichever_is_ahead()
    {
        var source = _scratch.Raw.Join("source"u8);
        for (var i = 0; i < 40; i++)
        {
            var folder = Path.Combine(source.ToString(), $"f{i:D2}", "inner");
            Directory.CreateDirectory(folder);
            File.WriteAllText(Path.Combine(folder, "a.txt"), $"file {i}");
            File.WriteAllText(Path.Combine(source.ToString(), $"f{i:D2}", "b.txt"), $"other {i}");
        }

        await using var engine = await EngineHarness.CreateAsync(Ct);
        var (_, own) = await engine.BackUpAsync(source.ToString(), Ct);
        for (var round = 0; round < 5; round++)
        {
            var scanner = new SourceScanner([source.ToString()], new PathPatternSet([]), heldEntries: 20 * round);
            var scan = Task.Run(() => scanner.Scan(Ct), Ct);
            var (_, listed) = await engine.BackUpAsync(source.ToString(), Ct, listings: scanner);
            await scan;
            (await SourceTreeAsync(engine, listed, source)).Should().Be(await SourceTreeAsync(engine, own, source), "round {0}", round);
        }
    }

    [Fact]
    public async Task An_unchanged_backup_names_the_parent_s_tree_and_a_new_file_renews_only_the_folders_above_it()
    {
        var source = _scratch.Raw.Join("source"u8);
        SampleSource.Build(source, seed: 6, largeFileSize: 100_000);
        await using var engine = await EngineHarness.CreateAsync(Ct);
        var (_, first) = await engine.BackUpAsync(source.ToString(), Ct);

        var (unchangedSummary, unchanged) = await engine.BackUpAsync(source.ToString(), Ct, first);
        // The folders above the source (the temp folder) change as other tests run, so the source's own tree is compared.
        (await SourceTreeAsync(engine, unchanged, source)).Should().Be(await SourceTreeAsync(engine, first, source));
        unchangedSummary.DirsChanged.Should().Be(0);

        var owned = source.Join("owned"u8);
        File.WriteAllText(owned.Join("nested"u8).Join("new.txt"u8).ToString(), "new");
        var (changedSummary, changed) = await engine.BackUpAsync(source.ToString(), Ct, unchanged);

        changedSummary.FilesNew.Should().Be(1);
        var before = await SubtreesAsync(engine.Repository, first.Tree, source);
        var after = await SubtreesAsync(engine.Repository, changed.Tree, source);
        after.Keys.Should().BeEquivalentTo(before.Keys);
        foreach (var (folder, tree) in after)
        {
            var onTheWay = owned.Join("nested"u8).ToString().StartsWith(folder, StringComparison.Ordinal);
            if (onTheWay)
            {
                tree.Should().NotBe(before[folder], "{0} holds the new file or a folder that does", folder);
            }
            else
            {
                tree.Should().Be(before[folder], "nothing changed in {0}", folder);
            }
        }

        var target = _scratch.Combine("target");
        (await engine.RestoreAsync(changed.Tree, target, Ct)).Warnings.Should().Be(0);
        TreeComparer.Differences(source, RawPath.FromString(target + source)).Should().BeEmpty();
    }

    [Fact]
    public async Task A_folder_whose_extended_attribute_changed_is_recorded_with_the_new_value()
    {
        var source = _scratch.Raw.Join("source"u8);
        var folder = source.Join("folder"u8);
        Directory.CreateDirectory(folder.ToString());
        File.WriteAllText(folder.Join("file"u8).ToString(), "content");
        PosixFileSystem.SetXattr(folder, "user.note"u8, "first"u8);
        await using var engine = await EngineHarness.CreateAsync(Ct);
        var (_, first) = await engine.BackUpAsync(source.ToString(), Ct);

        PosixFileSystem.SetXattr(folder, "user.note"u8, "second"u8);
        var (_, second) = await engine.BackUpAsync(source.ToString(), Ct, first);

        var node = await FindAsync(engine.Repository, second.Tree, folder);
        node.ExtendedAttributes.Should().ContainSingle().Which.Value.Should().Equal("second"u8.ToArray());
        (await SourceTreeAsync(engine, second, source)).Should().NotBe(await SourceTreeAsync(engine, first, source));
    }

    private static async Task<Id> SourceTreeAsync(EngineHarness engine, Snapshot snapshot, RawPath source) =>
        (await FindAsync(engine.Repository, snapshot.Tree, source)).Subtree!.Value;

    /// <summary>The subtree ID of every folder at or below <paramref name="root"/>, by path.</summary>
    private static async Task<Dictionary<string, Id>> SubtreesAsync(ResticRepository repository, Id tree, RawPath root)
    {
        var found = new Dictionary<string, Id>();
        var rootNode = await FindAsync(repository, tree, root);
        var pending = new Stack<(string Path, Id Tree)>([(root.ToString(), rootNode.Subtree!.Value)]);
        while (pending.Count > 0)
        {
            var (path, id) = pending.Pop();
            found[path] = id;
            foreach (var node in await repository.LoadTreeAsync(id, Ct))
            {
                if (node is { Type: NodeType.Dir, Subtree: { } sub })
                {
                    pending.Push((path + "/" + node.DisplayName, sub));
                }
            }
        }

        return found;
    }

    /// <summary>The node for an absolute path in a snapshot's tree.</summary>
    private static async Task<Node> FindAsync(ResticRepository repository, Id tree, RawPath path)
    {
        Node? node = null;
        var current = tree;
        foreach (var part in path.ToString().Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            node = (await repository.LoadTreeAsync(current, Ct)).Single(n => n.Name.AsSpan().SequenceEqual(System.Text.Encoding.UTF8.GetBytes(part)));
            current = node.Subtree ?? default;
        }

        return node!;
    }
}
