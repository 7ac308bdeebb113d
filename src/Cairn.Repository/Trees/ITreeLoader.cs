using Cairn.Repository.Format;

namespace Cairn.Repository.Trees;

/// <summary>What a walk over a snapshot's trees needs: loading one tree by its ID (a repository, a restore source).</summary>
public interface ITreeLoader
{
    /// <summary>The nodes of a tree, in their stored (name) order.</summary>
    Task<List<Node>> LoadTreeAsync(Id id, CancellationToken cancellationToken = default);
}
