namespace Cairn.Repository.Format;

/// <summary>One entry of a tree: a file, directory, link or special file and its metadata (docs/format.md, "Trees").</summary>
public sealed record Node
{
    /// <summary>The name as raw bytes (may be invalid UTF-8; stored Go-quoted in JSON).</summary>
    public required byte[] Name { get; init; }
    /// <summary>File, directory, link or special file.</summary>
    public required NodeType Type { get; init; }
    /// <summary>Go's io/fs.FileMode bits (permissions, type bits, setuid/setgid/sticky).</summary>
    public uint Mode { get; init; }
    /// <summary>Last modification time.</summary>
    public NodeTime ModTime { get; init; }
    /// <summary>Last access time.</summary>
    public NodeTime AccessTime { get; init; }
    /// <summary>Last status change time.</summary>
    public NodeTime ChangeTime { get; init; }
    /// <summary>Owner's user id.</summary>
    public uint Uid { get; init; }
    /// <summary>Owner's group id.</summary>
    public uint Gid { get; init; }
    /// <summary>Owner's user name, when known.</summary>
    public string? User { get; init; }
    /// <summary>Owner's group name, when known.</summary>
    public string? Group { get; init; }
    /// <summary>Inode number (tells hard links apart).</summary>
    public ulong Inode { get; init; }
    /// <summary>Device the file lives on.</summary>
    public ulong DeviceId { get; init; }
    /// <summary>Size in bytes of a file.</summary>
    public ulong Size { get; init; }
    /// <summary>Number of hard links.</summary>
    public ulong Links { get; init; }
    /// <summary>Symlink target as raw bytes.</summary>
    public byte[]? LinkTarget { get; init; }
    /// <summary>Extended attributes, when any.</summary>
    public IReadOnlyList<ExtendedAttribute>? ExtendedAttributes { get; init; }
    /// <summary>st_rdev of device nodes.</summary>
    public ulong Device { get; init; }
    /// <summary>A file's data blobs in order.</summary>
    public IReadOnlyList<Id>? Content { get; init; }
    /// <summary>A directory's tree blob.</summary>
    public Id? Subtree { get; init; }

    /// <summary>The name quoted as Go's <c>%q</c> would, for names that are not valid UTF-8.</summary>
    public string DisplayName => Json.GoQuote.Quote(Name);
}

/// <summary>One extended attribute: its name and raw value.</summary>
public sealed record ExtendedAttribute(string Name, byte[] Value);
