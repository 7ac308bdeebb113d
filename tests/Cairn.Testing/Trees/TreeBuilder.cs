using System.Text;
using Cairn.Platform;

namespace Cairn.Testing.Trees;

/// <summary>
/// Builds a test tree through <see cref="PosixFileSystem"/> on raw byte names. Owner, permissions and xattrs are
/// set as each entry is made; mtimes are set by <see cref="Finish"/>, deepest entries first, so that creating an
/// entry does not move its folder's mtime afterwards.
/// </summary>
public sealed class TreeBuilder
{
    private readonly List<(RawPath Path, Timestamp Time, int Depth)> _times = [];

    /// <summary>Creates <paramref name="root"/> itself as a folder with <paramref name="metadata"/>.</summary>
    public TreeBuilder(RawPath root, EntryMetadata? metadata = null)
    {
        Root = root;
        Directory(root, metadata ?? new EntryMetadata { Permissions = 0x1ED });
    }

    public RawPath Root { get; }

    public RawPath Directory(RawPath path, EntryMetadata metadata)
    {
        PosixFileSystem.CreateDirectory(path, 0x1C0);
        Apply(path, metadata, isSymlink: false);
        return path;
    }

    public RawPath File(RawPath path, ReadOnlySpan<byte> content, EntryMetadata metadata)
    {
        using (var handle = PosixFileSystem.CreateFile(path, 0x180))
        {
            if (!content.IsEmpty)
            {
                RandomAccess.Write(handle, content, 0);
            }
        }

        Apply(path, metadata, isSymlink: false);
        return path;
    }

    public RawPath Symlink(RawPath path, byte[] target, EntryMetadata metadata)
    {
        PosixFileSystem.CreateSymlink(target, path);
        Apply(path, metadata, isSymlink: true);
        return path;
    }

    public RawPath Fifo(RawPath path, EntryMetadata metadata)
    {
        PosixFileSystem.CreateFifo(path, 0x180);
        Apply(path, metadata, isSymlink: false);
        return path;
    }

    /// <summary>A second name for <paramref name="existing"/>; its metadata is the existing file's.</summary>
    public RawPath HardLink(RawPath existing, RawPath path)
    {
        PosixFileSystem.CreateHardLink(existing, path);
        return path;
    }

    /// <summary>Sets every recorded mtime, deepest first; call once after the last entry.</summary>
    public void Finish()
    {
        foreach (var (path, time, _) in _times.OrderByDescending(t => t.Depth))
        {
            PosixFileSystem.SetTimes(path, time, time);
        }
    }

    /// <summary>The path of a descendant given as "a/b/c" (UTF-8); for other bytes use <see cref="RawPath.Join"/>.</summary>
    public RawPath Path(string relative) =>
        relative.Split('/').Aggregate(Root, (path, name) => path.Join(Encoding.UTF8.GetBytes(name)));

    private void Apply(RawPath path, EntryMetadata metadata, bool isSymlink)
    {
        // chown clears setuid and setgid, so the owner goes first and the permissions after it.
        PosixFileSystem.SetOwner(path, metadata.Uid, metadata.Gid);
        if (!isSymlink)
        {
            PosixFileSystem.SetPermissions(path, metadata.Permissions);
        }

        foreach (var (name, value) in metadata.Xattrs)
        {
            PosixFileSystem.SetXattr(path, Encoding.UTF8.GetBytes(name), value);
        }

        _times.Add((path, metadata.ModifyTime, path.Bytes.Count((byte)'/')));
    }
}
