using System.Runtime.InteropServices;

namespace Cairn.Repository.Internal;

/// <summary>The uid/gid written into lock files, and whether a process on this host still runs.</summary>
public static partial class ProcessIdentity
{
    /// <summary>This process's user id (0 on Windows), as restic records it.</summary>
    public static uint Uid { get; } = OperatingSystem.IsWindows() ? 0 : GetUid();
    /// <summary>This process's group id (0 on Windows), as restic records it.</summary>
    public static uint Gid { get; } = OperatingSystem.IsWindows() ? 0 : GetGid();

    [LibraryImport("libc", EntryPoint = "getuid")]
    private static partial uint GetUid();

    [LibraryImport("libc", EntryPoint = "getgid")]
    private static partial uint GetGid();

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);

    /// <summary>Signal 0 checks for existence; EPERM means the process exists but belongs to someone else.</summary>
    public static bool IsAlive(int pid)
    {
        if (pid <= 0)
        {
            return false;
        }

        if (Kill(pid, 0) == 0)
        {
            return true;
        }

        return Marshal.GetLastPInvokeError() == 1; // EPERM
    }
}
