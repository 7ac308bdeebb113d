using System.Runtime.InteropServices;

namespace Cairn.Platform.Internal;

/// <summary>open(2) flags. O_DIRECTORY and O_NOFOLLOW differ between arm64 and x86_64; the rest are shared.</summary>
internal static class OpenFlags
{
    public const int ReadOnly = 0;
    public const int WriteOnly = 0x1;
    public const int Create = 0x40;
    public const int Exclusive = 0x80;
    public const int NonBlock = 0x800;
    public const int NoAccessTime = 0x40000;
    public const int CloseOnExec = 0x80000;

    public static readonly int Directory;
    public static readonly int NoFollow;

    static OpenFlags()
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("Cairn.Platform works on Linux only");
        }
        (Directory, NoFollow) = RuntimeInformation.ProcessArchitecture switch
        {
            Architecture.X64 => (0x10000, 0x20000),
            Architecture.Arm64 => (0x4000, 0x8000),
            var other => throw new PlatformNotSupportedException($"Cairn.Platform supports x86_64 and arm64, not {other}"),
        };
    }
}
