namespace Cairn.Platform;

/// <summary>What statx reports about one file, without following a final symlink.</summary>
/// <param name="Kind">The file type.</param>
/// <param name="Permissions">st_mode &amp; 07777: rwx bits plus setuid (04000), setgid (02000) and sticky (01000).</param>
/// <param name="Uid">Owner user id.</param>
/// <param name="Gid">Owner group id.</param>
/// <param name="Size">Size in bytes (for a symlink the length of its target).</param>
/// <param name="Inode">Inode number.</param>
/// <param name="DeviceId">st_dev, the device the file lives on, encoded like glibc's makedev.</param>
/// <param name="RDevice">st_rdev, the device a character or block device node stands for; 0 for other kinds.</param>
/// <param name="Links">Number of hard links.</param>
/// <param name="AccessTime">atime.</param>
/// <param name="ModifyTime">mtime.</param>
/// <param name="ChangeTime">ctime (status change; cannot be set, only read).</param>
public readonly record struct FileStatus(
    FileKind Kind,
    uint Permissions,
    uint Uid,
    uint Gid,
    long Size,
    ulong Inode,
    ulong DeviceId,
    ulong RDevice,
    ulong Links,
    Timestamp AccessTime,
    Timestamp ModifyTime,
    Timestamp ChangeTime);
