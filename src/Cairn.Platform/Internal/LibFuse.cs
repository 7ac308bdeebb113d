using System.Runtime.InteropServices;

namespace Cairn.Platform.Internal;

/// <summary>
/// The few functions of libfuse3's high-level (path based) API that <see cref="Fuse.FuseMount"/> calls, and the
/// structure layouts they exchange, as fuse.h and fuse_common.h of libfuse 3.14 define them on 64-bit Linux.
/// </summary>
internal static unsafe partial class LibFuse
{
    private const string Library = "libfuse3.so.3";

    /// <summary>fuse_new's default symbol version (FUSE_3.1): the one a program built against fuse 3.x gets.</summary>
    [LibraryImport(Library, EntryPoint = "fuse_new")]
    public static partial nint New(FuseArgs* args, FuseOperations* operations, nuint operationsSize, void* privateData);

    [LibraryImport(Library, EntryPoint = "fuse_mount")]
    public static partial int Mount(nint fuse, byte* mountpoint);

    /// <summary>Serves requests on the calling thread until the file system is unmounted or <see cref="Exit"/> is called.</summary>
    [LibraryImport(Library, EntryPoint = "fuse_loop")]
    public static partial int Loop(nint fuse);

    [LibraryImport(Library, EntryPoint = "fuse_exit")]
    public static partial void Exit(nint fuse);

    /// <summary>Unmounts unless the kernel has already ended the connection (libfuse polls the device first).</summary>
    [LibraryImport(Library, EntryPoint = "fuse_unmount")]
    public static partial void Unmount(nint fuse);

    [LibraryImport(Library, EntryPoint = "fuse_destroy")]
    public static partial void Destroy(nint fuse);

    [LibraryImport(Library, EntryPoint = "fuse_get_context")]
    public static partial FuseContext* GetContext();

    /// <summary>struct fuse_args.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct FuseArgs
    {
        public int Argc;
        public byte** Argv;
        public int Allocated;
    }

    /// <summary>The head of struct fuse_context (fuse, uid, gid, pid, private_data, umask).</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct FuseContext
    {
        public nint Fuse;
        public uint Uid;
        public uint Gid;
        public int Pid;
        public void* PrivateData;
        public uint Umask;
    }

    /// <summary>struct fuse_file_info: open flags, a word of bit fields and one of padding, then the file handle at 16.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct FuseFileInfo
    {
        public int Flags;
        public uint BitFields;
        public uint Padding;
        public ulong FileHandle;
        public ulong LockOwner;
        public uint PollEvents;
    }

    /// <summary>
    /// struct fuse_operations of libfuse 3.14: 42 function pointers in this order. Only the ones a read-only file
    /// system needs are set; a null entry makes libfuse answer ENOSYS (or do the default).
    /// </summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct FuseOperations
    {
        public delegate* unmanaged<byte*, Stat*, FuseFileInfo*, int> GetAttr;
        public delegate* unmanaged<byte*, byte*, nuint, int> ReadLink;
        public nint MkNod, MkDir, Unlink, RmDir, Symlink, Rename, Link, Chmod, Chown, Truncate;
        public delegate* unmanaged<byte*, FuseFileInfo*, int> Open;
        public delegate* unmanaged<byte*, byte*, nuint, long, FuseFileInfo*, int> Read;
        public nint Write, StatFs, Flush;
        public delegate* unmanaged<byte*, FuseFileInfo*, int> Release;
        public nint Fsync, SetXattr;
        public delegate* unmanaged<byte*, byte*, byte*, nuint, int> GetXattr;
        public delegate* unmanaged<byte*, byte*, nuint, int> ListXattr;
        public nint RemoveXattr, OpenDir;
        public delegate* unmanaged<byte*, void*, delegate* unmanaged<void*, byte*, Stat*, long, int, int>, long, FuseFileInfo*, int, int> ReadDir;
        public nint ReleaseDir, FsyncDir, Init, DestroyCallback, Access, Create, Lock, Utimens, Bmap, Ioctl, Poll;
        public nint WriteBuf, ReadBuf, Flock, Fallocate, CopyFileRange, Lseek;
    }

    /// <summary>glibc's struct stat on x86_64 (144 bytes).</summary>
    [StructLayout(LayoutKind.Explicit, Size = 144)]
    public struct Stat
    {
        [FieldOffset(0)] public ulong Device;
        [FieldOffset(8)] public ulong Inode;
        [FieldOffset(16)] public ulong Links;
        [FieldOffset(24)] public uint Mode;
        [FieldOffset(28)] public uint Uid;
        [FieldOffset(32)] public uint Gid;
        [FieldOffset(40)] public ulong RDevice;
        [FieldOffset(48)] public long Size;
        [FieldOffset(56)] public long BlockSize;
        [FieldOffset(64)] public long Blocks;
        [FieldOffset(72)] public long AccessSeconds;
        [FieldOffset(80)] public long AccessNanoseconds;
        [FieldOffset(88)] public long ModifySeconds;
        [FieldOffset(96)] public long ModifyNanoseconds;
        [FieldOffset(104)] public long ChangeSeconds;
        [FieldOffset(112)] public long ChangeNanoseconds;
    }
}
