using System.Runtime.InteropServices;

namespace Cairn.Platform.Internal;

internal static unsafe partial class LibC
{
    /// <summary>STATX_BASIC_STATS: type, mode, nlink, uid, gid, atime, mtime, ctime, ino, size, blocks.</summary>
    public const uint StatxBasicStats = 0x7ff;

    [LibraryImport(Library, EntryPoint = "statx", SetLastError = true)]
    public static partial int Statx(int dirFd, byte* path, int flags, uint mask, StatxBuffer* buffer);
}

/// <summary>struct statx from linux/stat.h: the same layout on every architecture, 256 bytes.</summary>
[StructLayout(LayoutKind.Explicit, Size = 256)]
internal struct StatxBuffer
{
    [FieldOffset(0)] public uint Mask;
    [FieldOffset(16)] public uint Links;
    [FieldOffset(20)] public uint Uid;
    [FieldOffset(24)] public uint Gid;
    [FieldOffset(28)] public ushort Mode;
    [FieldOffset(32)] public ulong Inode;
    [FieldOffset(40)] public ulong Size;
    [FieldOffset(64)] public StatxTimestamp AccessTime;
    [FieldOffset(96)] public StatxTimestamp ChangeTime;
    [FieldOffset(112)] public StatxTimestamp ModifyTime;
    [FieldOffset(128)] public uint RDeviceMajor;
    [FieldOffset(132)] public uint RDeviceMinor;
    [FieldOffset(136)] public uint DeviceMajor;
    [FieldOffset(140)] public uint DeviceMinor;

    public readonly FileStatus ToFileStatus() => new(
        ModeBits.KindOf(Mode),
        Mode & ModeBits.PermissionMask,
        Uid,
        Gid,
        (long)Size,
        Inode,
        DeviceNumber.Make(DeviceMajor, DeviceMinor),
        DeviceNumber.Make(RDeviceMajor, RDeviceMinor),
        Links,
        AccessTime.ToTimestamp(),
        ModifyTime.ToTimestamp(),
        ChangeTime.ToTimestamp());
}

/// <summary>struct statx_timestamp: signed seconds, nanoseconds, 4 reserved bytes.</summary>
[StructLayout(LayoutKind.Sequential, Size = 16)]
internal struct StatxTimestamp
{
    public long Seconds;
    public uint Nanoseconds;

    public readonly Timestamp ToTimestamp() => new(Seconds, Nanoseconds);
}
