using System.Text;
using AwesomeAssertions;
using Cairn.Repository.Format;
using Cairn.Repository.Trees;
using Xunit;

namespace Cairn.Repository.Tests.Trees;

public sealed class TreeWalkerTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Every_walk_visits_depth_first_in_stored_order_with_the_same_paths()
    {
        var trees = new Trees();
        var root = trees.Folder(("a", trees.Folder(("x", null), ("y", trees.Folder(("deep", null))))), ("b", null), ("c", trees.Folder(("z", null))));
        string[] expected = ["/a", "/a/x", "/a/y", "/a/y/deep", "/b", "/c", "/c/z"];

        var visited = new List<string>();
        await TreeWalker.WalkAsync(trees, root, (path, _) => { visited.Add(path); return true; }, cancellationToken: Ct);
        var enumerated = new List<string>();
        await foreach (var (path, _) in TreeWalker.EnumerateAsync(trees, root, cancellationToken: Ct))
        {
            enumerated.Add(path);
        }

        visited.Should().Equal(expected);
        enumerated.Should().Equal(expected);
    }

    [Fact]
    public async Task Returning_false_skips_a_directorys_children_and_a_prefix_is_put_in_front()
    {
        var trees = new Trees();
        var root = trees.Folder(("a", trees.Folder(("x", null))), ("b", trees.Folder(("y", null))));

        var visited = new List<string>();
        await TreeWalker.WalkAsync(trees, root, (path, _) => { visited.Add(path); return path != "/srv/a"; }, prefix: "/srv", cancellationToken: Ct);

        visited.Should().Equal("/srv/a", "/srv/b", "/srv/b/y");
    }

    [Fact]
    public async Task A_tree_that_fails_to_load_is_reported_with_its_path_and_the_walk_goes_on()
    {
        var trees = new Trees();
        var broken = Id.Hash("missing"u8);
        var root = trees.Folder(("a", broken), ("b", trees.Folder(("y", null))));
        var errors = new List<(string, Id)>();

        var visited = new List<string>();
        await TreeWalker.WalkAsync(trees, root, (path, _) => { visited.Add(path); return true; }, (path, tree, _) => errors.Add((path, tree)), cancellationToken: Ct);

        errors.Should().Equal(("/a", broken));
        visited.Should().Equal("/a", "/b", "/b/y");
        var withoutHandler = () => TreeWalker.WalkAsync(trees, root, (_, _) => true, cancellationToken: Ct);
        await withoutHandler.Should().ThrowAsync<RepositoryException>();
    }

    [Fact]
    public async Task Folders_carry_the_state_their_parent_gave_them()
    {
        var trees = new Trees();
        var root = trees.Folder(("a", trees.Folder(("b", trees.Folder(("c", null))))));
        var depths = new List<(string, int)>();

        await TreeWalker.WalkFoldersAsync(trees, root, 0, (folder, _) =>
        {
            depths.Add((folder.Path, folder.State));
            return ValueTask.FromResult(folder.Nodes.Where(n => n.Type == NodeType.Dir).Select(n => (n, folder.State + 1)));
        }, cancellationToken: Ct);

        depths.Should().Equal(("/", 0), ("/a", 1), ("/a/b", 2));
    }

    [Fact]
    public async Task A_very_deep_tree_does_not_deepen_the_call_stack()
    {
        var trees = new Trees();
        var tree = trees.Folder(("leaf", null));
        for (var i = 0; i < 20_000; i++)
        {
            tree = trees.Folder(("d", tree));
        }

        var count = 0;
        await TreeWalker.WalkAsync(trees, tree, (_, _) => { count++; return true; }, cancellationToken: Ct);
        await foreach (var _ in TreeWalker.EnumerateAsync(trees, tree, cancellationToken: Ct))
        {
            count++;
        }

        count.Should().Be(2 * 20_001);
    }

    [Fact]
    public async Task Find_follows_a_path_and_tells_a_missing_one_apart()
    {
        var trees = new Trees();
        var root = trees.Folder(("etc", trees.Folder(("hosts", null))), ("file", null));

        (await TreeWalker.FindAsync(trees, root, "/etc/hosts", Ct)).Node!.Name.Should().Equal("hosts"u8.ToArray());
        (await TreeWalker.FindAsync(trees, root, "/", Ct)).Should().Be((true, (Node?)null));
        (await TreeWalker.FindAsync(trees, root, "/etc/passwd", Ct)).Found.Should().BeFalse();
        (await TreeWalker.FindAsync(trees, root, "/file/below", Ct)).Found.Should().BeFalse();
    }

    /// <summary>Trees in memory: a folder's ID is the hash of its names, its nodes files or directories.</summary>
    private sealed class Trees : ITreeLoader
    {
        private readonly Dictionary<Id, List<Node>> _trees = [];
        private int _next;

        public Id Folder(params (string Name, Id? Subtree)[] entries)
        {
            var id = Id.Hash(Encoding.UTF8.GetBytes($"tree {_next++}"));
            _trees[id] = [.. entries.Select(e => new Node
            {
                Name = Encoding.UTF8.GetBytes(e.Name),
                Type = e.Subtree is null ? NodeType.File : NodeType.Dir,
                Subtree = e.Subtree,
            })];
            return id;
        }

        public Task<List<Node>> LoadTreeAsync(Id id, CancellationToken cancellationToken = default) =>
            _trees.TryGetValue(id, out var nodes) ? Task.FromResult(nodes) : throw new CorruptedDataException($"tree {id}", "missing");
    }
}
