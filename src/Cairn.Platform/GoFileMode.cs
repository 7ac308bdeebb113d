using Cairn.Platform.Internal;

namespace Cairn.Platform;

/// <summary>
/// Go's io/fs.FileMode as restic stores it in a tree node's "mode": the nine rwx bits at the bottom,
/// type and special bits at the top (so a 0755 directory is 2147484141, a 0644 file 420).
/// </summary>
public static class GoFileMode
{
    /// <summary>Go's <c>os.ModeDir</c>.</summary>
    public const uint ModeDir = 1u << 31;
    /// <summary>Go's <c>os.ModeAppend</c>.</summary>
    public const uint ModeAppend = 1u << 30;
    /// <summary>Go's <c>os.ModeExclusive</c>.</summary>
    public const uint ModeExclusive = 1u << 29;
    /// <summary>Go's <c>os.ModeTemporary</c>.</summary>
    public const uint ModeTemporary = 1u << 28;
    /// <summary>Go's <c>os.ModeSymlink</c>.</summary>
    public const uint ModeSymlink = 1u << 27;
    /// <summary>Go's <c>os.ModeDevice</c>.</summary>
    public const uint ModeDevice = 1u << 26;
    /// <summary>Go's <c>os.ModeNamedPipe</c>.</summary>
    public const uint ModeNamedPipe = 1u << 25;
    /// <summary>Go's <c>os.ModeSocket</c>.</summary>
    public const uint ModeSocket = 1u << 24;
    /// <summary>Go's <c>os.ModeSetuid</c>.</summary>
    public const uint ModeSetuid = 1u << 23;
    /// <summary>Go's <c>os.ModeSetgid</c>.</summary>
    public const uint ModeSetgid = 1u << 22;
    /// <summary>Go's <c>os.ModeCharDevice</c>.</summary>
    public const uint ModeCharDevice = 1u << 21;
    /// <summary>Go's <c>os.ModeSticky</c>.</summary>
    public const uint ModeSticky = 1u << 20;
    /// <summary>Go's <c>os.ModeIrregular</c>.</summary>
    public const uint ModeIrregular = 1u << 19;
    /// <summary>Go's <c>os.ModeType</c>: the bits that name a file's kind.</summary>
    public const uint ModeType = ModeDir | ModeSymlink | ModeNamedPipe | ModeSocket | ModeDevice | ModeCharDevice | ModeIrregular;
    /// <summary>Go's <c>os.ModePerm</c>: the permission bits.</summary>
    public const uint ModePerm = 0x1ff; // 0777

    private const uint PosixSetuid = 0x800; // 04000
    private const uint PosixSetgid = 0x400; // 02000
    private const uint PosixSticky = 0x200; // 01000

    /// <param name="kind">The file type.</param>
    /// <param name="permissions">st_mode &amp; 07777, setuid/setgid/sticky included.</param>
    public static uint FromPosix(FileKind kind, uint permissions)
    {
        ModeBits.CheckPermissions(permissions, nameof(permissions));
        uint mode = permissions & ModePerm;
        if ((permissions & PosixSetuid) != 0)
        {
            mode |= ModeSetuid;
        }
        if ((permissions & PosixSetgid) != 0)
        {
            mode |= ModeSetgid;
        }
        if ((permissions & PosixSticky) != 0)
        {
            mode |= ModeSticky;
        }
        return mode | kind switch
        {
            FileKind.File => 0u,
            FileKind.Directory => ModeDir,
            FileKind.Symlink => ModeSymlink,
            FileKind.Fifo => ModeNamedPipe,
            FileKind.Socket => ModeSocket,
            FileKind.CharDevice => ModeDevice | ModeCharDevice,
            FileKind.BlockDevice => ModeDevice,
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
        };
    }

    /// <summary>The Go mode of a file's status.</summary>
    public static uint FromStatus(in FileStatus status) => FromPosix(status.Kind, status.Permissions);

    /// <summary>Back to a file type and st_mode &amp; 07777. Plan 9 bits (append, exclusive, temporary) are ignored.</summary>
    /// <exception cref="FormatException">The type bits name no Linux file type (irregular, or several types at once).</exception>
    public static (FileKind Kind, uint Permissions) ToPosix(uint mode)
    {
        var kind = (mode & ModeType) switch
        {
            0 => FileKind.File,
            ModeDir => FileKind.Directory,
            ModeSymlink => FileKind.Symlink,
            ModeNamedPipe => FileKind.Fifo,
            ModeSocket => FileKind.Socket,
            ModeDevice | ModeCharDevice or ModeCharDevice => FileKind.CharDevice,
            ModeDevice => FileKind.BlockDevice,
            var type => throw new FormatException($"Go file mode 0x{mode:x8} has type bits 0x{type:x8} that name no Linux file type"),
        };
        uint permissions = mode & ModePerm;
        if ((mode & ModeSetuid) != 0)
        {
            permissions |= PosixSetuid;
        }
        if ((mode & ModeSetgid) != 0)
        {
            permissions |= PosixSetgid;
        }
        if ((mode & ModeSticky) != 0)
        {
            permissions |= PosixSticky;
        }
        return (kind, permissions);
    }
}
