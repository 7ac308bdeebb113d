namespace Cairn.Repository.Format;

/// <summary>One entry of a tree: a file, directory, link or special file and its metadata (docs/format.md, "Trees").</summary>
public sealed record Node
{
    /// <summary>The name as raw bytes (may be invalid UTF-8; stored Go-quoted in JSON).</summary>
    public required byte[] Name { get; init; }
    public required NodeType Type { get; init; }
    /// <summary>Go's io/fs.FileMode bits (permissions, type bits, setuid/setgid/sticky).</summary>
    public uint Mode { get; init; }
    public NodeTime ModTime { get; init; }
    public NodeTime AccessTime { get; init; }
    public NodeTime ChangeTime { get; init; }
    public uint Uid { get; init; }
    public uint Gid { get; init; }
    public string? User { get; init; }
    public string? Group { get; init; }
    public ulong Inode { get; init; }
    public ulong DeviceId { get; init; }
    public ulong Size { get; init; }
    public ulong Links { get; init; }
    /// <summary>Symlink target as raw bytes.</summary>
    public byte[]? LinkTarget { get; init; }
    public IReadOnlyList<ExtendedAttribute>? ExtendedAttributes { get; init; }
    /// <summary>st_rdev of device nodes.</summary>
    public ulong Device { get; init; }
    public IReadOnlyList<Id>? Content { get; init; }
    public Id? Subtree { get; init; }

    public string DisplayName => Json.GoQuote.Quote(Name);
}

public sealed record ExtendedAttribute(string Name, byte[] Value);
