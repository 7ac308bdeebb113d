using Cairn.Repository;

namespace Cairn.Maintenance.Rewrite;

/// <summary>
/// A tree that would change holds something cairn's tree encoding does not carry (fields of a newer or foreign
/// writer); rewriting it would silently drop them, so the rewrite stops instead, as restic's does.
/// </summary>
public sealed class TreeNotReencodableException(string path)
    : RepositoryException($"cannot encode tree at \"{path}\" without losing information");
