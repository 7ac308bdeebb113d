using System.Text;
using Cairn.Repository;
using Cairn.Repository.Filtering;
using Cairn.Repository.Format;
using Cairn.Repository.Trees;

namespace Cairn.Maintenance.Inspection;

/// <summary>
/// Finds nodes of a snapshot by restic-style patterns (<c>find</c>): a pattern without "/" matches a name at any depth,
/// one with "/" matches path components (absolute when it starts with "/"); <c>*</c>, <c>?</c>, <c>[...]</c> and
/// <c>**</c> as in restic's filters. Once a directory matches, everything below it matches too, as with restic.
/// </summary>
public sealed class NodeFinder
{
    private readonly PathPatternSet _patterns;

    /// <summary>A finder for nodes whose name matches any of the patterns.</summary>
    public NodeFinder(IEnumerable<string> patterns, bool ignoreCase)
    {
        ArgumentNullException.ThrowIfNull(patterns);
        _patterns = new PathPatternSet(patterns, ignoreCase);
    }

    /// <summary>Whether no pattern was given.</summary>
    public bool IsEmpty => _patterns.IsEmpty;

    /// <summary>Walks a snapshot's tree and answers every matching node with its path.</summary>
    public async Task<List<(string Path, Node Node)>> FindAsync(ResticRepository repository, Id tree, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(repository);
        var matches = new List<(string, Node)>();

        // The walk is depth first, so the last matched directory above a path, if any, is a prefix of it.
        string? matchedFolder = null;
        await TreeWalker.WalkAsync(repository, tree, (path, node) =>
        {
            var below = matchedFolder is not null && path.StartsWith(matchedFolder + "/", StringComparison.Ordinal);
            if (!below)
            {
                matchedFolder = null;
            }

            if (below || _patterns.IsMatch(Encoding.UTF8.GetBytes(path)))
            {
                matches.Add((path, node));
                if (!below && node.Type == NodeType.Dir)
                {
                    matchedFolder = path;
                }
            }

            return true;
        }, cancellationToken: cancellationToken).ConfigureAwait(false);
        return matches;
    }
}
