using System.Runtime.InteropServices;

namespace Cairn.Platform.Internal;

internal static unsafe partial class LibC
{
    [LibraryImport(Library, EntryPoint = "llistxattr", SetLastError = true)]
    public static partial nint LListXattr(byte* path, byte* list, nuint size);

    [LibraryImport(Library, EntryPoint = "lgetxattr", SetLastError = true)]
    public static partial nint LGetXattr(byte* path, byte* name, byte* value, nuint size);

    [LibraryImport(Library, EntryPoint = "lsetxattr", SetLastError = true)]
    public static partial int LSetXattr(byte* path, byte* name, byte* value, nuint size, int flags);

    [LibraryImport(Library, EntryPoint = "fsetxattr", SetLastError = true)]
    public static partial int FSetXattr(int fd, byte* name, byte* value, nuint size, int flags);
}
