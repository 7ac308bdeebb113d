using System.Runtime.InteropServices;

namespace Cairn.Platform.Internal;

/// <summary>
/// The libc functions this layer calls. Paths go in as pointers to NUL-terminated bytes so no string is
/// ever decoded; every declaration is blittable. Layouts and flag values are those of glibc on 64-bit
/// Linux (x86_64, arm64); <see cref="OpenFlags"/> holds the two that differ between them.
/// </summary>
internal static unsafe partial class LibC
{
    private const string Library = "libc";

    public const int AtFdCwd = -100;
    public const int AtSymlinkNoFollow = 0x100;
    public const int AtRemoveDir = 0x200;
    public const int AtEmptyPath = 0x1000;

    [LibraryImport(Library, EntryPoint = "open", SetLastError = true)]
    public static partial int Open(byte* path, int flags, uint mode);

    [LibraryImport(Library, EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int fd);

    [LibraryImport(Library, EntryPoint = "ftruncate", SetLastError = true)]
    public static partial int FTruncate(int fd, long length);

    [LibraryImport(Library, EntryPoint = "readlink", SetLastError = true)]
    public static partial nint ReadLink(byte* path, byte* buffer, nuint size);

    /// <summary>With a null buffer, returns a malloc'ed string to hand to <see cref="Free"/>.</summary>
    [LibraryImport(Library, EntryPoint = "realpath", SetLastError = true)]
    public static partial byte* RealPath(byte* path, byte* resolved);

    [LibraryImport(Library, EntryPoint = "free")]
    public static partial void Free(void* pointer);

    /// <summary>Returns an errno value (0 on success) rather than setting errno.</summary>
    [LibraryImport(Library, EntryPoint = "posix_fadvise")]
    public static partial int PosixFadvise(int fd, long offset, long length, int advice);

    public const int FadviseWillNeed = 3;

    [LibraryImport(Library, EntryPoint = "geteuid")]
    public static partial uint GetEffectiveUserId();
}
