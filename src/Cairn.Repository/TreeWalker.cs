using System.Text;
using Cairn.Repository.Format;

namespace Cairn.Repository;

/// <summary>Visits every node below a tree, depth first in tree order, with its path inside the snapshot.</summary>
public static class TreeWalker
{
    /// <summary>
    /// Walks <paramref name="root"/>. <paramref name="visit"/> gets the path ("/a/b") and node; returning false
    /// skips a directory's children. A tree that fails to load is passed to <paramref name="onError"/> (or thrown).
    /// </summary>
    public static async Task WalkAsync(
        ResticRepository repository,
        Id root,
        Func<string, Node, bool> visit,
        Action<string, Id, Exception>? onError = null,
        CancellationToken cancellationToken = default)
    {
        var stack = new Stack<(string Path, Id Tree)>();
        stack.Push(("", root));
        while (stack.Count > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (path, tree) = stack.Pop();
            List<Node> nodes;
            try
            {
                nodes = await repository.LoadTreeAsync(tree, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (onError is not null && e is RepositoryException or Storage.StorageException)
            {
                onError(path.Length == 0 ? "/" : path, tree, e);
                continue;
            }

            // Push in reverse so children are visited in tree order.
            var dirs = new List<(string, Id)>();
            foreach (var node in nodes)
            {
                var childPath = path + "/" + Encoding.UTF8.GetString(node.Name);
                if (visit(childPath, node) && node.Type == NodeType.Dir && node.Subtree is { } sub)
                {
                    dirs.Add((childPath, sub));
                }
            }

            for (var i = dirs.Count - 1; i >= 0; i--)
            {
                stack.Push(dirs[i]);
            }
        }
    }
}
