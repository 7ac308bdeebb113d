using System.Runtime.InteropServices;

namespace Cairn.Storage;

/// <summary>
/// The two POSIX calls .NET does not expose: fsync of a folder (so a rename survives a crash) and an
/// unlink that reports a missing file (File.Delete silently ignores it).
/// </summary>
internal static partial class UnixFileSystem
{
    private const int ENOENT = 2;

    /// <summary>Flushes a folder's entries to disk. Some file systems refuse fsync on folders; that is not an error.</summary>
    public static void SyncDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return; // NTFS journals metadata; there is no folder fsync.
        }

        var fd = Open(path, 0 /* O_RDONLY */);
        if (fd < 0)
        {
            throw new IOException($"cannot open folder {path} to sync it (errno {Marshal.GetLastPInvokeError()})");
        }

        try
        {
            if (Fsync(fd) != 0)
            {
                var errno = Marshal.GetLastPInvokeError();
                const int EINVAL = 22;
                if (errno != EINVAL)
                {
                    throw new IOException($"fsync of folder {path} failed (errno {errno})");
                }
            }
        }
        finally
        {
            _ = Close(fd);
        }
    }

    /// <summary>Removes a file; false when it does not exist.</summary>
    public static bool TryDelete(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            if (!File.Exists(path))
            {
                return false;
            }

            File.SetAttributes(path, FileAttributes.Normal);
            File.Delete(path);
            return true;
        }

        if (Unlink(path) == 0)
        {
            return true;
        }

        var errno = Marshal.GetLastPInvokeError();
        if (errno == ENOENT)
        {
            return false;
        }

        const int EACCES = 13, EPERM = 1;
        if (errno is EACCES or EPERM)
        {
            throw new UnauthorizedAccessException($"not allowed to delete {path} (errno {errno})");
        }

        throw new IOException($"cannot delete {path} (errno {errno})");
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);

    [LibraryImport("libc", EntryPoint = "unlink", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Unlink(string path);
}
