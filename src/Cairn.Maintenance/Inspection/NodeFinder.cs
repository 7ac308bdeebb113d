using System.Text;
using Cairn.Repository;
using Cairn.Repository.Filtering;
using Cairn.Repository.Format;

namespace Cairn.Maintenance.Inspection;

/// <summary>
/// Finds nodes of a snapshot by restic-style patterns (<c>find</c>): a pattern without "/" matches a name at any depth,
/// one with "/" matches path components (absolute when it starts with "/"); <c>*</c>, <c>?</c>, <c>[...]</c> and
/// <c>**</c> as in restic's filters. Once a directory matches, everything below it matches too, as with restic.
/// </summary>
public sealed class NodeFinder
{
    private readonly PathPatternSet _patterns;

    public NodeFinder(IEnumerable<string> patterns, bool ignoreCase)
    {
        ArgumentNullException.ThrowIfNull(patterns);
        _patterns = new PathPatternSet(patterns, ignoreCase);
    }

    public bool IsEmpty => _patterns.IsEmpty;

    public async Task<List<(string Path, Node Node)>> FindAsync(ResticRepository repository, Id tree, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(repository);
        var matches = new List<(string, Node)>();
        await SearchAsync(repository, tree, "", false, matches, cancellationToken).ConfigureAwait(false);
        return matches;
    }

    private async Task SearchAsync(ResticRepository repository, Id tree, string prefix, bool parentMatched, List<(string, Node)> matches, CancellationToken cancellationToken)
    {
        foreach (var node in await repository.LoadTreeAsync(tree, cancellationToken).ConfigureAwait(false))
        {
            var path = SnapshotTreeWalker.Join(prefix, node);
            var matched = parentMatched || _patterns.IsMatch(Encoding.UTF8.GetBytes(path));
            if (matched)
            {
                matches.Add((path, node));
            }

            if (node.Type == NodeType.Dir && node.Subtree is { } subtree)
            {
                await SearchAsync(repository, subtree, path, matched, matches, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
