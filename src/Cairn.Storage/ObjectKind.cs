namespace Cairn.Storage;

/// <summary>The kinds of object a repository keeps; each has its own folder (docs/format.md, "Layout").</summary>
public enum ObjectKind
{
    /// <summary>The repository's <c>config</c> file.</summary>
    Config,
    /// <summary>Key files (<c>keys/</c>).</summary>
    Key,
    /// <summary>Lock files (<c>locks/</c>).</summary>
    Lock,
    /// <summary>Snapshot files (<c>snapshots/</c>).</summary>
    Snapshot,
    /// <summary>Index files (<c>index/</c>).</summary>
    Index,
    /// <summary>Pack files (<c>data/</c>).</summary>
    Pack,
}

/// <summary>Folder names of the restic layout, shared by the local backend, the REST protocol and Space.</summary>
public static class ObjectKinds
{
    /// <summary>Every kind.</summary>
    public static readonly IReadOnlyList<ObjectKind> All =
        [ObjectKind.Config, ObjectKind.Key, ObjectKind.Lock, ObjectKind.Snapshot, ObjectKind.Index, ObjectKind.Pack];

    /// <summary>The folder (or REST path segment) of a kind: <c>config</c>, <c>keys</c>, <c>locks</c>, <c>snapshots</c>, <c>index</c>, <c>data</c>.</summary>
    public static string FolderName(this ObjectKind kind) => kind switch
    {
        ObjectKind.Config => "config",
        ObjectKind.Key => "keys",
        ObjectKind.Lock => "locks",
        ObjectKind.Snapshot => "snapshots",
        ObjectKind.Index => "index",
        ObjectKind.Pack => "data",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>Parses a folder name (<c>keys</c>, <c>data</c>, ...) into its kind.</summary>
    public static bool TryParseFolderName(ReadOnlySpan<char> folder, out ObjectKind kind)
    {
        switch (folder)
        {
            case "config": kind = ObjectKind.Config; return true;
            case "keys": kind = ObjectKind.Key; return true;
            case "locks": kind = ObjectKind.Lock; return true;
            case "snapshots": kind = ObjectKind.Snapshot; return true;
            case "index": kind = ObjectKind.Index; return true;
            case "data": kind = ObjectKind.Pack; return true;
            default: kind = default; return false;
        }
    }
}
