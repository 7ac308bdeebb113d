namespace Cairn.Platform.Internal;

/// <summary>The file type bits of st_mode (S_IFMT) and their mapping to <see cref="FileKind"/>.</summary>
internal static class ModeBits
{
    public const uint PermissionMask = 0xfff; // 07777
    public const uint TypeMask = 0xf000; // S_IFMT
    public const uint Socket = 0xc000; // S_IFSOCK 0140000
    public const uint Symlink = 0xa000; // S_IFLNK 0120000
    public const uint Regular = 0x8000; // S_IFREG 0100000
    public const uint BlockDevice = 0x6000; // S_IFBLK 0060000
    public const uint Directory = 0x4000; // S_IFDIR 0040000
    public const uint CharDevice = 0x2000; // S_IFCHR 0020000
    public const uint Fifo = 0x1000; // S_IFIFO 0010000

    public static FileKind KindOf(uint mode) => (mode & TypeMask) switch
    {
        Regular => FileKind.File,
        Directory => FileKind.Directory,
        Symlink => FileKind.Symlink,
        Fifo => FileKind.Fifo,
        Socket => FileKind.Socket,
        CharDevice => FileKind.CharDevice,
        BlockDevice => FileKind.BlockDevice,
        var type => throw new InvalidDataException($"unknown file type bits 0{Convert.ToString(type, 8)} in mode"),
    };

    public static uint TypeOf(FileKind kind) => kind switch
    {
        FileKind.File => Regular,
        FileKind.Directory => Directory,
        FileKind.Symlink => Symlink,
        FileKind.Fifo => Fifo,
        FileKind.Socket => Socket,
        FileKind.CharDevice => CharDevice,
        FileKind.BlockDevice => BlockDevice,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    public static uint CheckPermissions(uint permissions, string parameterName) =>
        permissions <= PermissionMask
            ? permissions
            : throw new ArgumentOutOfRangeException(parameterName, permissions, "permissions are st_mode & 07777");
}
