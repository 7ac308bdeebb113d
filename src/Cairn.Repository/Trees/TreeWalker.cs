using System.Runtime.CompilerServices;
using System.Text;
using Cairn.Repository.Format;

namespace Cairn.Repository.Trees;

/// <summary>
/// The one walk over a snapshot's trees that check, prune, diff, find, ls, stats, dump and the restore verifier share:
/// depth first, in stored (name) order, iterative (a deep tree does not deepen the call stack), with paths as shown
/// to people (names are raw bytes, shown as UTF-8; invalid bytes become U+FFFD).
/// </summary>
public static class TreeWalker
{
    /// <summary>
    /// Visits every folder below <paramref name="root"/>. <paramref name="visit"/> gets a folder and returns the
    /// directory nodes of it to enter, each with the state its folder will get; a folder's children are visited
    /// in the order returned. A tree that fails to load goes to <paramref name="onError"/> (path, tree, error) when
    /// given, and the walk goes on; without it the error is thrown.
    /// </summary>
    public static async Task WalkFoldersAsync<TState>(
        ITreeLoader loader,
        Id root,
        TState rootState,
        Func<TreeFolder<TState>, CancellationToken, ValueTask<IEnumerable<(Node Directory, TState State)>>> visit,
        Action<string, Id, Exception>? onError = null,
        string prefix = "",
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(loader);
        ArgumentNullException.ThrowIfNull(visit);
        var stack = new Stack<(string Path, Id Tree, TState State)>();
        stack.Push((prefix.Length == 0 ? "/" : prefix, root, rootState));
        var entered = new List<(string, Id, TState)>();
        while (stack.Count > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (path, tree, state) = stack.Pop();
            if (await TryLoadAsync(loader, path, tree, onError, cancellationToken).ConfigureAwait(false) is not { } nodes)
            {
                continue;
            }

            var folder = new TreeFolder<TState>(path, tree, nodes, state);
            entered.Clear();
            foreach (var (directory, childState) in await visit(folder, cancellationToken).ConfigureAwait(false))
            {
                if (directory.Subtree is { } subtree)
                {
                    entered.Add((folder.PathOf(directory), subtree, childState));
                }
            }

            // Pushed in reverse, so the first entered is walked first.
            for (var i = entered.Count - 1; i >= 0; i--)
            {
                stack.Push(entered[i]);
            }
        }
    }

    /// <summary>
    /// Visits every node below <paramref name="root"/> with its path, each directory's children right after it
    /// (pre-order, as ls and find print); returning false from <paramref name="visit"/> skips a directory's children.
    /// Errors as in <see cref="WalkFoldersAsync{TState}"/>.
    /// </summary>
    public static async Task WalkAsync(
        ITreeLoader loader,
        Id root,
        Func<string, Node, bool> visit,
        Action<string, Id, Exception>? onError = null,
        string prefix = "",
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(visit);
        await foreach (var _ in PreOrderAsync(loader, root, visit, onError, prefix, cancellationToken).ConfigureAwait(false))
        {
            // visit saw the node when it was reached; nothing is left to do with it here.
        }
    }

    /// <summary>Every node below <paramref name="root"/> with its path, in the order of <see cref="WalkAsync"/> (for consumers that stream: dump, stats).</summary>
    public static IAsyncEnumerable<(string Path, Node Node)> EnumerateAsync(
        ITreeLoader loader,
        Id root,
        string prefix = "",
        CancellationToken cancellationToken = default)
        => PreOrderAsync(loader, root, enter: null, onError: null, prefix, cancellationToken);

    /// <summary>
    /// The pre-order walk both share: each node is yielded, then <paramref name="enter"/> (when given) says whether
    /// a directory's children follow. Iterative, so a deep tree does not deepen the call stack.
    /// </summary>
    private static async IAsyncEnumerable<(string Path, Node Node)> PreOrderAsync(
        ITreeLoader loader,
        Id root,
        Func<string, Node, bool>? enter,
        Action<string, Id, Exception>? onError,
        string prefix,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(loader);
        var stack = new Stack<(string Prefix, List<Node> Nodes, int Next)>();
        if (await TryLoadAsync(loader, prefix.Length == 0 ? "/" : prefix, root, onError, cancellationToken).ConfigureAwait(false) is { } top)
        {
            stack.Push((prefix, top, 0));
        }

        while (stack.Count > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (folder, nodes, next) = stack.Pop();
            if (next >= nodes.Count)
            {
                continue;
            }

            var node = nodes[next];
            stack.Push((folder, nodes, next + 1));
            var path = Join(folder, node);
            yield return (path, node);
            if ((enter?.Invoke(path, node) ?? true) && node.Type == NodeType.Dir && node.Subtree is { } subtree
                && await TryLoadAsync(loader, path, subtree, onError, cancellationToken).ConfigureAwait(false) is { } children)
            {
                stack.Push((path, children, 0));
            }
        }
    }

    private static async Task<List<Node>?> TryLoadAsync(ITreeLoader loader, string path, Id tree, Action<string, Id, Exception>? onError,
        CancellationToken cancellationToken)
    {
        try
        {
            return await loader.LoadTreeAsync(tree, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (onError is not null && e is RepositoryException or Storage.StorageException)
        {
            onError(path, tree, e);
            return null;
        }
    }

    /// <summary>The path of a child of <paramref name="prefix"/> ("" for the root).</summary>
    public static string Join(string prefix, Node node)
    {
        ArgumentNullException.ThrowIfNull(node);
        return prefix + "/" + Encoding.UTF8.GetString(node.Name);
    }

    /// <summary>Finds the node at an absolute path; the root ("/") has no node and yields null with found=true.</summary>
    public static async Task<(bool Found, Node? Node)> FindAsync(ITreeLoader loader, Id root, string path, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(loader);
        ArgumentNullException.ThrowIfNull(path);
        Node? current = null;
        var tree = root;
        foreach (var part in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (current is not null)
            {
                if (current.Type != NodeType.Dir || current.Subtree is not { } subtree)
                {
                    return (false, null);
                }

                tree = subtree;
            }

            var nodes = await loader.LoadTreeAsync(tree, cancellationToken).ConfigureAwait(false);
            current = nodes.FirstOrDefault(n => Encoding.UTF8.GetString(n.Name) == part);
            if (current is null)
            {
                return (false, null);
            }
        }

        return (true, current);
    }
}
