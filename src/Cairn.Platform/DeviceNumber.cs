namespace Cairn.Platform;

/// <summary>
/// Splits and builds device numbers (st_dev, st_rdev) with the bit layout of glibc's
/// makedev/major/minor: 12+20 low bits in the classic places, the rest of major and minor above them.
/// </summary>
public static class DeviceNumber
{
    /// <summary>Combines major and minor numbers as glibc's <c>makedev</c>.</summary>
    public static ulong Make(uint major, uint minor) =>
        ((ulong)(major & 0x00000fffu) << 8)
        | ((ulong)(major & 0xfffff000u) << 32)
        | (minor & 0x000000ffu)
        | ((ulong)(minor & 0xffffff00u) << 12);

    /// <summary>The major number of a device, as glibc's <c>major</c>.</summary>
    public static uint Major(ulong device) =>
        (uint)(((device & 0x00000000000fff00ul) >> 8) | ((device & 0xfffff00000000000ul) >> 32));

    /// <summary>The minor number of a device, as glibc's <c>minor</c>.</summary>
    public static uint Minor(ulong device) =>
        (uint)((device & 0x00000000000000fful) | ((device & 0x00000ffffff00000ul) >> 12));
}
