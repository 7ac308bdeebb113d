using System.Text;
using Cairn.Repository;
using Cairn.Repository.Format;

namespace Cairn.Maintenance.Inspection;

/// <summary>Visits every node below a tree depth-first, in stored (name) order, with its absolute path.</summary>
public static class SnapshotTreeWalker
{
    public static async IAsyncEnumerable<(string Path, Node Node)> WalkAsync(
        ResticRepository repository, Id tree, string prefix = "",
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(repository);
        foreach (var node in await repository.LoadTreeAsync(tree, cancellationToken).ConfigureAwait(false))
        {
            var path = Join(prefix, node);
            yield return (path, node);
            if (node.Type == NodeType.Dir && node.Subtree is { } subtree)
            {
                await foreach (var child in WalkAsync(repository, subtree, path, cancellationToken).ConfigureAwait(false))
                {
                    yield return child;
                }
            }
        }
    }

    /// <summary>The path of a child: names are raw bytes, shown as UTF-8 (invalid bytes become U+FFFD).</summary>
    public static string Join(string prefix, Node node)
    {
        ArgumentNullException.ThrowIfNull(node);
        return prefix + "/" + Encoding.UTF8.GetString(node.Name);
    }

    /// <summary>Finds the node at an absolute path; the root ("/") has no node and yields null with found=true.</summary>
    public static async Task<(bool Found, Node? Node)> FindAsync(ResticRepository repository, Id root, string path, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(repository);
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

            var nodes = await repository.LoadTreeAsync(tree, cancellationToken).ConfigureAwait(false);
            current = nodes.FirstOrDefault(n => Encoding.UTF8.GetString(n.Name) == part);
            if (current is null)
            {
                return (false, null);
            }
        }

        return (true, current);
    }
}
