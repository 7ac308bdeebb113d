using System.Text;
using Cairn.Platform;
using Cairn.Platform.Fuse;
using Cairn.Repository;
using Cairn.Repository.Format;

namespace Cairn.Restore.Browse;

/// <summary>
/// The repository as a read-only file system: <see cref="SnapshotFolders"/> above, each snapshot's tree below, file
/// content read blob by blob through the index (<see cref="OpenFile"/>). Paths are raw bytes; names in trees are
/// compared byte for byte, so names that are not UTF-8 work too.
/// </summary>
public sealed class SnapshotFileSystem : IFuseFileSystem
{
    /// <summary>restic keeps 64 MiB of blobs for its mount; so does this.</summary>
    public const long DefaultCacheBytes = 64L << 20;

    private const int TreeCacheLimit = 4096;

    private readonly VirtualFolder _root;
    private readonly IRestoreSource _source;
    private readonly SnapshotFileSystemOptions _options;
    private readonly BlobCache _blobs;
    private readonly Lock _gate = new();
    private readonly Dictionary<Id, List<Node>> _trees = [];
    private readonly Dictionary<ulong, OpenFile> _open = [];
    private ulong _nextHandle;

    /// <summary>A file system over the folder tree, reading file content from <paramref name="source"/>.</summary>
    public SnapshotFileSystem(VirtualFolder root, IRestoreSource source, SnapshotFileSystemOptions options)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(options);
        _root = root;
        _source = source;
        _options = options;
        _blobs = new BlobCache(options.CacheBytes);
    }

    /// <inheritdoc/>
    public int GetAttributes(ReadOnlySpan<byte> path, out FuseAttributes attributes)
    {
        attributes = default;
        var error = Resolve(path, out var found);
        if (error != 0)
        {
            return error;
        }

        attributes = found switch
        {
            { Node: { } node } => OfNode(node),
            { Entry: VirtualLink link } => Virtual(FileKind.Symlink, 0x1ff, (ulong)Encoding.UTF8.GetByteCount(link.Target), link.Time),
            { Entry: VirtualFolder folder } => Virtual(FileKind.Directory, 0x16d, 0, folder.Time),
            { Entry: SnapshotFolder snapshot } => Virtual(FileKind.Directory, 0x16d, 0, snapshot.Snapshot.Time),
            _ => throw new InvalidOperationException("unreachable"),
        };
        return 0;
    }

    /// <inheritdoc/>
    public int ReadDirectory(ReadOnlySpan<byte> path, out IReadOnlyList<byte[]> names)
    {
        names = [];
        var error = Resolve(path, out var found);
        if (error != 0)
        {
            return error;
        }

        if (found.Entry is VirtualFolder folder)
        {
            names = [.. folder.Children.Keys.Select(Encoding.UTF8.GetBytes)];
            return 0;
        }

        Id? tree;
        if (found.Entry is SnapshotFolder snapshot)
        {
            tree = snapshot.Snapshot.Tree;
        }
        else if (found.Node is { Type: NodeType.Dir } folderNode)
        {
            tree = folderNode.Subtree;
        }
        else
        {
            return Errno.ENOTDIR;
        }

        names = tree is { } id ? [.. LoadTree(id).Select(n => n.Name)] : [];
        return 0;
    }

    /// <inheritdoc/>
    public int ReadLink(ReadOnlySpan<byte> path, out byte[] target)
    {
        target = [];
        var error = Resolve(path, out var found);
        if (error != 0)
        {
            return error;
        }

        switch (found)
        {
            case { Entry: VirtualLink link }:
                target = Encoding.UTF8.GetBytes(link.Target);
                return 0;
            case { Node: { Type: NodeType.Symlink } node }:
                target = node.LinkTarget ?? [];
                return 0;
            default:
                return Errno.EINVAL;
        }
    }

    /// <inheritdoc/>
    public int Open(ReadOnlySpan<byte> path, out ulong handle)
    {
        handle = 0;
        var error = Resolve(path, out var found);
        if (error != 0)
        {
            return error;
        }

        if (found.Node is not { Type: NodeType.File } node)
        {
            return found.Node is null || found.Node.Type == NodeType.Dir ? Errno.EISDIR : Errno.EINVAL;
        }

        if (!OpenFile.TryCreate(node, _source, _blobs, out var file))
        {
            return Errno.EIO;
        }

        lock (_gate)
        {
            handle = ++_nextHandle;
            _open[handle] = file;
        }

        return 0;
    }

    /// <inheritdoc/>
    public int Read(ulong handle, long offset, Span<byte> destination, out int read)
    {
        read = 0;
        OpenFile? file;
        lock (_gate)
        {
            _open.TryGetValue(handle, out file);
        }

        if (file is null)
        {
            return Errno.EBADF;
        }

        read = file.Read(offset, destination);
        return 0;
    }

    /// <inheritdoc/>
    public void Release(ulong handle)
    {
        lock (_gate)
        {
            _open.Remove(handle);
        }
    }

    /// <inheritdoc/>
    public int GetExtendedAttributes(ReadOnlySpan<byte> path, out IReadOnlyList<(string Name, byte[] Value)> attributes)
    {
        attributes = [];
        var error = Resolve(path, out var found);
        if (error == 0 && found.Node?.ExtendedAttributes is { } stored)
        {
            attributes = [.. stored.Select(a => (a.Name, a.Value))];
        }

        return error;
    }

    /// <summary>Bytes of decrypted blobs the mount keeps now (for tests and diagnostics).</summary>
    public long CachedBlobBytes => _blobs.Bytes;

    private FuseAttributes OfNode(Node node)
    {
        FileKind kind;
        uint permissions;
        try
        {
            (kind, permissions) = GoFileMode.ToPosix(node.Mode);
        }
        catch (FormatException)
        {
            // Type bits naming no Linux type (a hostile or odd tree): shown as the node's type says, permissions kept.
            (kind, permissions) = (FileKind.File, node.Mode & GoFileMode.ModePerm);
        }

        kind = node.Type switch
        {
            NodeType.Dir => FileKind.Directory,
            NodeType.File => FileKind.File,
            NodeType.Symlink => FileKind.Symlink,
            _ => kind,
        };
        var size = node.Type switch
        {
            NodeType.File => node.Size,
            NodeType.Symlink => (ulong)(node.LinkTarget?.Length ?? 0),
            _ => 0UL,
        };
        return new FuseAttributes(
            kind,
            permissions,
            size,
            Math.Max(1, node.Links),
            _options.OwnerRoot ? 0 : node.Uid,
            _options.OwnerRoot ? 0 : node.Gid,
            Stamp(node.AccessTime),
            Stamp(node.ModTime),
            Stamp(node.ChangeTime),
            node.Device);
    }

    private FuseAttributes Virtual(FileKind kind, uint permissions, ulong size, NodeTime time) =>
        new(kind, permissions, size, kind == FileKind.Directory ? 2UL : 1UL, _options.OwnerRoot ? 0 : _options.Uid, _options.OwnerRoot ? 0 : _options.Gid, Stamp(time), Stamp(time), Stamp(time));

    private static Timestamp Stamp(NodeTime time) => new(time.UnixSeconds, time.Nanoseconds);

    private readonly record struct Found(BrowseEntry? Entry, Node? Node);

    /// <summary>Walks the made-up folders by name, then the snapshot's trees byte for byte.</summary>
    private int Resolve(ReadOnlySpan<byte> path, out Found found)
    {
        found = new Found(_root, null);
        Id? tree = null;
        foreach (var range in path.Split((byte)'/'))
        {
            var name = path[range];
            if (name.IsEmpty)
            {
                continue;
            }

            if (tree is null)
            {
                if (found.Entry is not VirtualFolder folder)
                {
                    return Errno.ENOTDIR;
                }

                if (!folder.Children.TryGetValue(Encoding.UTF8.GetString(name), out var child))
                {
                    return Errno.ENOENT;
                }

                found = new Found(child, null);
                if (child is SnapshotFolder snapshot)
                {
                    tree = snapshot.Snapshot.Tree;
                }

                continue;
            }

            if (found.Node is { } parent && (parent.Type != NodeType.Dir || parent.Subtree is null))
            {
                return parent.Type == NodeType.Dir ? Errno.ENOENT : Errno.ENOTDIR;
            }

            var node = Find(LoadTree(found.Node?.Subtree ?? tree.Value), name);
            if (node is null)
            {
                return Errno.ENOENT;
            }

            found = new Found(null, node);
        }

        return 0;
    }

    private static Node? Find(List<Node> nodes, ReadOnlySpan<byte> name)
    {
        foreach (var node in nodes)
        {
            if (name.SequenceEqual(node.Name))
            {
                return node;
            }
        }

        return null;
    }

    private List<Node> LoadTree(Id id)
    {
        lock (_gate)
        {
            if (_trees.TryGetValue(id, out var cached))
            {
                return cached;
            }
        }

        // The serving thread is libfuse's and nothing else waits on it, so blocking on the load is safe.
        var nodes = _source.LoadTreeAsync(id, CancellationToken.None).GetAwaiter().GetResult();
        lock (_gate)
        {
            if (_trees.Count >= TreeCacheLimit)
            {
                _trees.Clear();
            }

            _trees[id] = nodes;
        }

        return nodes;
    }
}

/// <summary>How a <see cref="SnapshotFileSystem"/> presents its entries.</summary>
public sealed record SnapshotFileSystemOptions
{
    /// <summary>The owner of the made-up folders (the user who mounts).</summary>
    public uint Uid { get; init; }

    /// <summary>Group id every entry shows.</summary>
    public uint Gid { get; init; }

    /// <summary>Show every entry as owned by root (restic's --owner-root).</summary>
    public bool OwnerRoot { get; init; }

    /// <summary>Bytes of decoded blobs kept in memory.</summary>
    public long CacheBytes { get; init; } = SnapshotFileSystem.DefaultCacheBytes;
}
