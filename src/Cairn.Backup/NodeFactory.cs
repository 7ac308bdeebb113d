using Cairn.Platform;
using Cairn.Repository;
using Cairn.Repository.Format;

namespace Cairn.Backup;

/// <summary>Builds tree nodes from what the file system reports, with the fields restic fills for each type.</summary>
internal static class NodeFactory
{
    public static NodeType TypeOf(FileKind kind) => kind switch
    {
        FileKind.File => NodeType.File,
        FileKind.Directory => NodeType.Dir,
        FileKind.Symlink => NodeType.Symlink,
        FileKind.BlockDevice => NodeType.Dev,
        FileKind.CharDevice => NodeType.CharDev,
        FileKind.Fifo => NodeType.Fifo,
        _ => NodeType.Socket,
    };

    public static NodeTime Time(Timestamp t) => NodeTime.FromUnix(t.Seconds, t.Nanoseconds);

    public static Node Create(
        byte[] name,
        in FileStatus status,
        IReadOnlyList<ExtendedAttribute>? xattrs,
        IReadOnlyList<Id>? content = null,
        Id? subtree = null,
        byte[]? linkTarget = null)
    {
        var type = TypeOf(status.Kind);
        var hasLinks = type is NodeType.File or NodeType.Symlink or NodeType.Dev or NodeType.CharDev;
        return new Node
        {
            Name = name,
            Type = type,
            Mode = GoFileMode.FromStatus(status),
            ModTime = Time(status.ModifyTime),
            // restic records atime equal to mtime, so trees come out byte-identical to restic's.
            AccessTime = Time(status.ModifyTime),
            ChangeTime = Time(status.ChangeTime),
            Uid = status.Uid,
            Gid = status.Gid,
            User = PosixFileSystem.UserName(status.Uid),
            Group = PosixFileSystem.GroupName(status.Gid),
            Inode = status.Inode,
            DeviceId = status.DeviceId,
            Size = type == NodeType.File ? (ulong)status.Size : 0,
            Links = hasLinks ? status.Links : 0,
            LinkTarget = linkTarget,
            ExtendedAttributes = xattrs,
            Device = type is NodeType.Dev or NodeType.CharDev ? status.RDevice : 0,
            Content = type == NodeType.File ? content ?? [] : null,
            Subtree = subtree,
        };
    }

    /// <summary>
    /// True when <see cref="Create"/> would make a node equal to <paramref name="previous"/> from this status, given the
    /// previous node's content, subtree, link target and extended attributes: the walk then keeps the parent
    /// snapshot's node instead of making a copy of it.
    /// </summary>
    public static bool Matches(Node previous, in FileStatus status)
    {
        var type = TypeOf(status.Kind);
        var hasLinks = type is NodeType.File or NodeType.Symlink or NodeType.Dev or NodeType.CharDev;
        var modified = Time(status.ModifyTime);
        return previous.Type == type
            && previous.Mode == GoFileMode.FromStatus(status)
            && previous.ModTime == modified
            && previous.AccessTime == modified
            && previous.ChangeTime == Time(status.ChangeTime)
            && previous.Uid == status.Uid
            && previous.Gid == status.Gid
            && previous.Inode == status.Inode
            && previous.DeviceId == status.DeviceId
            && previous.Size == (type == NodeType.File ? (ulong)status.Size : 0)
            && previous.Links == (hasLinks ? status.Links : 0)
            && previous.Device == (type is NodeType.Dev or NodeType.CharDev ? status.RDevice : 0)
            && previous.User == PosixFileSystem.UserName(status.Uid)
            && previous.Group == PosixFileSystem.GroupName(status.Gid);
    }

    /// <summary>
    /// restic's "unchanged" test: same type, size, mtime, ctime and inode as in the parent snapshot.
    /// The content is then taken from the parent instead of reading the file.
    /// </summary>
    public static bool IsUnchanged(Node? previous, in FileStatus status) =>
        previous is { Type: NodeType.File, Content: not null }
        && previous.Size == (ulong)status.Size
        && previous.Inode == status.Inode
        && previous.ModTime.SameInstant(Time(status.ModifyTime))
        && previous.ChangeTime.SameInstant(Time(status.ChangeTime));
}
