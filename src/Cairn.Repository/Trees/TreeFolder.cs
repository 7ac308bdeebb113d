using Cairn.Repository.Format;

namespace Cairn.Repository.Trees;

/// <summary>
/// One folder reached by <see cref="TreeWalker.WalkFoldersAsync{TState}"/>: its path inside the snapshot ("/" for the
/// root, else "/a/b"), its tree, its nodes, and the state its parent gave it.
/// </summary>
public sealed record TreeFolder<TState>(string Path, Id Tree, IReadOnlyList<Node> Nodes, TState State)
{
    /// <summary>The path of a node of this folder.</summary>
    public string PathOf(Node node) => TreeWalker.Join(Path == "/" ? "" : Path, node);
}
