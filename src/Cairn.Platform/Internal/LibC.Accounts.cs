using System.Runtime.InteropServices;

namespace Cairn.Platform.Internal;

internal static unsafe partial class LibC
{
    /// <summary>
    /// Room for struct passwd (48 bytes) or struct group (32 bytes) on 64-bit glibc; only the first
    /// field, the name pointer, is read.
    /// </summary>
    public const int AccountEntrySize = 64;

    /// <summary>Returns the error number itself (0 when done); *result is null when there is no such user.</summary>
    [LibraryImport(Library, EntryPoint = "getpwuid_r")]
    public static partial int GetPwUidR(uint uid, byte* entry, byte* buffer, nuint size, byte** result);

    [LibraryImport(Library, EntryPoint = "getgrgid_r")]
    public static partial int GetGrGidR(uint gid, byte* entry, byte* buffer, nuint size, byte** result);

    [LibraryImport(Library, EntryPoint = "getpwnam_r")]
    public static partial int GetPwNamR(byte* name, byte* entry, byte* buffer, nuint size, byte** result);

    [LibraryImport(Library, EntryPoint = "getgrnam_r")]
    public static partial int GetGrNamR(byte* name, byte* entry, byte* buffer, nuint size, byte** result);
}
