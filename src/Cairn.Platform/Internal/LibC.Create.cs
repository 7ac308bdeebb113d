using System.Runtime.InteropServices;

namespace Cairn.Platform.Internal;

internal static unsafe partial class LibC
{
    /// <summary>struct timespec on 64-bit Linux.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;

        public static TimeSpec Of(Timestamp time) => new() { Seconds = time.Seconds, Nanoseconds = time.Nanoseconds };
    }

    [LibraryImport(Library, EntryPoint = "mkdir", SetLastError = true)]
    public static partial int MkDir(byte* path, uint mode);

    [LibraryImport(Library, EntryPoint = "symlink", SetLastError = true)]
    public static partial int Symlink(byte* target, byte* linkPath);

    /// <summary>Does not follow a symlink at <paramref name="existing"/>: the link itself gets a second name.</summary>
    [LibraryImport(Library, EntryPoint = "link", SetLastError = true)]
    public static partial int Link(byte* existing, byte* newPath);

    [LibraryImport(Library, EntryPoint = "mkfifo", SetLastError = true)]
    public static partial int MkFifo(byte* path, uint mode);

    /// <summary>An exported symbol since glibc 2.33; older glibc only has <see cref="XMkNod"/>.</summary>
    [LibraryImport(Library, EntryPoint = "mknod", SetLastError = true)]
    public static partial int MkNod(byte* path, uint mode, ulong device);

    /// <summary>What glibc before 2.33 exported for mknod; version 0 (_MKNOD_VER) on x86_64 and arm64.</summary>
    [LibraryImport(Library, EntryPoint = "__xmknod", SetLastError = true)]
    public static partial int XMkNod(int version, byte* path, uint mode, ulong* device);

    [LibraryImport(Library, EntryPoint = "lchown", SetLastError = true)]
    public static partial int LChown(byte* path, uint uid, uint gid);

    [LibraryImport(Library, EntryPoint = "chmod", SetLastError = true)]
    public static partial int Chmod(byte* path, uint mode);

    [LibraryImport(Library, EntryPoint = "utimensat", SetLastError = true)]
    public static partial int UTimeNsAt(int dirFd, byte* path, TimeSpec* times, int flags);

    [LibraryImport(Library, EntryPoint = "fchown", SetLastError = true)]
    public static partial int FChown(int fd, uint uid, uint gid);

    [LibraryImport(Library, EntryPoint = "fchmod", SetLastError = true)]
    public static partial int FChmod(int fd, uint mode);

    [LibraryImport(Library, EntryPoint = "futimens", SetLastError = true)]
    public static partial int FUTimeNs(int fd, TimeSpec* times);

    [LibraryImport(Library, EntryPoint = "unlink", SetLastError = true)]
    public static partial int Unlink(byte* path);

    [LibraryImport(Library, EntryPoint = "rmdir", SetLastError = true)]
    public static partial int RmDir(byte* path);

    [LibraryImport(Library, EntryPoint = "rename", SetLastError = true)]
    public static partial int Rename(byte* from, byte* to);
}
