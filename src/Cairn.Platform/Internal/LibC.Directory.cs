using System.Runtime.InteropServices;

namespace Cairn.Platform.Internal;

internal static unsafe partial class LibC
{
    /// <summary>Offset of d_name in glibc's struct dirent on 64-bit Linux (after d_ino, d_off, d_reclen, d_type).</summary>
    public const int DirentNameOffset = 19;

    /// <summary>Takes ownership of the descriptor: <see cref="CloseDir"/> closes it.</summary>
    [LibraryImport(Library, EntryPoint = "fdopendir", SetLastError = true)]
    public static partial nint FdOpenDir(int fd);

    /// <summary>Null at the end (errno untouched) or on error (errno set); the generated stub clears errno first.</summary>
    [LibraryImport(Library, EntryPoint = "readdir", SetLastError = true)]
    public static partial byte* ReadDir(nint directory);

    [LibraryImport(Library, EntryPoint = "closedir", SetLastError = true)]
    public static partial int CloseDir(nint directory);
}
