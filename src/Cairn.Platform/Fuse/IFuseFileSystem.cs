namespace Cairn.Platform.Fuse;

/// <summary>
/// A read-only file system that <see cref="FuseMount"/> serves, addressed by raw byte paths ("/a/b", "/" for the
/// root). Methods return 0 or a positive errno (<see cref="Errno"/>); they are called on the mount's serving thread.
/// </summary>
public interface IFuseFileSystem
{
    /// <summary>Answers a path's attributes, or a negated errno.</summary>
    int GetAttributes(ReadOnlySpan<byte> path, out FuseAttributes attributes);

    /// <summary>The names in a folder, without "." and "..".</summary>
    int ReadDirectory(ReadOnlySpan<byte> path, out IReadOnlyList<byte[]> names);

    /// <summary>Answers a symbolic link's target, or a negated errno.</summary>
    int ReadLink(ReadOnlySpan<byte> path, out byte[] target);

    /// <summary>Opens a regular file for reading; <paramref name="handle"/> comes back in <see cref="Read"/> and <see cref="Release"/>.</summary>
    int Open(ReadOnlySpan<byte> path, out ulong handle);

    /// <summary>Fills <paramref name="destination"/> from <paramref name="offset"/>; fewer bytes only at the end of the file.</summary>
    int Read(ulong handle, long offset, Span<byte> destination, out int read);

    /// <summary>Closes a handle <c>Open</c> gave.</summary>
    void Release(ulong handle);

    /// <summary>The extended attributes of an entry (names and values), or none.</summary>
    int GetExtendedAttributes(ReadOnlySpan<byte> path, out IReadOnlyList<(string Name, byte[] Value)> attributes);
}

/// <summary>What stat(2) shows of an entry.</summary>
public readonly record struct FuseAttributes(
    FileKind Kind,
    uint Permissions,
    ulong Size,
    ulong Links,
    uint Uid,
    uint Gid,
    Timestamp AccessTime,
    Timestamp ModifyTime,
    Timestamp ChangeTime,
    ulong Device = 0);

/// <summary>How the file system is mounted.</summary>
public sealed record FuseMountOptions
{
    /// <summary>Let users other than the one mounting see the files (FUSE's allow_other).</summary>
    public bool AllowOther { get; init; }

    /// <summary>Let the kernel check permissions from the modes shown (FUSE's default_permissions).</summary>
    public bool DefaultPermissions { get; init; } = true;

    /// <summary>The source name /proc/mounts shows.</summary>
    public string FileSystemName { get; init; } = "cairn";
}

/// <summary>FUSE cannot be used here: no /dev/fuse, no libfuse3, or the mount was refused.</summary>
public sealed class FuseUnavailableException(string message) : Exception(message);
