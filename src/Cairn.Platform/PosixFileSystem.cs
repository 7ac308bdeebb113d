using System.Runtime.InteropServices;
using Cairn.Platform.Internal;
using Microsoft.Win32.SafeHandles;

namespace Cairn.Platform;

/// <summary>
/// The Linux file system on raw byte paths, through libc. Nothing here follows a symlink in the last
/// path component unless it says so, and every failure is a <see cref="PosixException"/> naming errno and path.
/// </summary>
/// <remarks>
/// This file holds the reading side used by backup; restore's creating side is in PosixFileSystem.Restore.cs,
/// extended attributes and account names have their own files.
/// </remarks>
public static partial class PosixFileSystem
{
    /// <summary>The effective user id of this process.</summary>
    public static uint EffectiveUserId => LibC.GetEffectiveUserId();

    /// <summary>statx with AT_SYMLINK_NOFOLLOW: a symlink is described, not its target.</summary>
    public static unsafe FileStatus LStat(RawPath path)
    {
        StatxBuffer buffer;
        fixed (byte* p = path.Terminated)
        {
            if (LibC.Statx(LibC.AtFdCwd, p, LibC.AtSymlinkNoFollow, LibC.StatxBasicStats, &buffer) != 0)
            {
                throw PosixException.FromLastError("lstat", path);
            }
        }
        return buffer.ToFileStatus();
    }

    /// <summary>The status of an open file, to check that it did not change while it was read.</summary>
    public static unsafe FileStatus Stat(SafeFileHandle handle)
    {
        using var lease = new DescriptorLease(handle);
        StatxBuffer buffer;
        fixed (byte* empty = RawPath.EmptyTerminated)
        {
            if (LibC.Statx(lease.Descriptor, empty, LibC.AtEmptyPath | LibC.AtSymlinkNoFollow, LibC.StatxBasicStats, &buffer) != 0)
            {
                throw PosixException.FromLastError("fstat", default);
            }
        }
        return buffer.ToFileStatus();
    }

    /// <summary>True when lstat succeeds, false when the path or one of its directories does not exist.</summary>
    /// <exception cref="PosixException">lstat failed for another reason (EACCES, ELOOP, ...), so the answer is unknown.</exception>
    public static unsafe bool Exists(RawPath path)
    {
        StatxBuffer buffer;
        fixed (byte* p = path.Terminated)
        {
            if (LibC.Statx(LibC.AtFdCwd, p, LibC.AtSymlinkNoFollow, LibC.StatxBasicStats, &buffer) == 0)
            {
                return true;
            }
        }
        int errno = Marshal.GetLastPInvokeError();
        if (errno is Errno.ENOENT or Errno.ENOTDIR)
        {
            return false;
        }
        throw new PosixException(errno, "lstat", path);
    }

    /// <summary>
    /// The names in a directory, without "." and "..", sorted by their bytes. The directory itself is opened
    /// with O_NOFOLLOW: a symlink to a directory fails with ENOTDIR instead of being listed.
    /// </summary>
    public static unsafe List<byte[]> ReadDirectory(RawPath path)
    {
        var directory = OpenDirectory(path, out _);
        var names = new List<byte[]>();
        try
        {
            for (byte* name; (name = NextName(directory, path)) != null;)
            {
                names.Add(MemoryMarshal.CreateReadOnlySpanFromNullTerminated(name).ToArray());
            }
        }
        finally
        {
            LibC.CloseDir(directory);
        }
        names.Sort(static (a, b) => a.AsSpan().SequenceCompareTo(b));
        return names;
    }

    /// <summary>
    /// Opens a directory for listing with O_NOFOLLOW (a symlink to a directory fails with ENOTDIR). Close it with
    /// <see cref="LibC.CloseDir"/>, which closes <paramref name="fd"/> too; the descriptor serves *at calls meanwhile.
    /// </summary>
    private static nint OpenDirectory(RawPath path, out int fd)
    {
        fd = Open(path, OpenFlags.ReadOnly | OpenFlags.Directory | OpenFlags.NoFollow | OpenFlags.CloseOnExec, 0);
        if (fd < 0)
        {
            throw PosixException.FromLastError("open", path);
        }
        nint directory = LibC.FdOpenDir(fd);
        if (directory == 0)
        {
            var error = PosixException.FromLastError("fdopendir", path);
            LibC.Close(fd);
            throw error;
        }
        return directory;
    }

    /// <summary>The next name in the directory, NUL-terminated in readdir's buffer, skipping "." and ".."; null at the end.</summary>
    private static unsafe byte* NextName(nint directory, RawPath path)
    {
        while (true)
        {
            byte* entry = LibC.ReadDir(directory);
            if (entry == null)
            {
                int errno = Marshal.GetLastPInvokeError();
                return errno == 0 ? null : throw new PosixException(errno, "readdir", path);
            }
            byte* name = entry + LibC.DirentNameOffset;
            var span = MemoryMarshal.CreateReadOnlySpanFromNullTerminated(name);
            if (!span.SequenceEqual("."u8) && !span.SequenceEqual(".."u8))
            {
                return name;
            }
        }
    }

    /// <summary>
    /// Opens a file for reading: O_RDONLY|O_NOFOLLOW|O_CLOEXEC, with O_NOATIME when allowed (owner or root) so
    /// backups leave access times alone, and O_NONBLOCK so a file swapped for a fifo cannot hang the reader.
    /// The handle works with <see cref="RandomAccess"/>; check <see cref="Stat(SafeFileHandle)"/> for what was opened.
    /// </summary>
    public static SafeFileHandle OpenRead(RawPath path)
    {
        const int flags = OpenFlags.ReadOnly | OpenFlags.CloseOnExec | OpenFlags.NonBlock;
        int fd = Open(path, flags | OpenFlags.NoFollow | OpenFlags.NoAccessTime, 0);
        if (fd < 0 && Marshal.GetLastPInvokeError() == Errno.EPERM)
        {
            fd = Open(path, flags | OpenFlags.NoFollow, 0);
        }
        return fd >= 0 ? new SafeFileHandle(fd, ownsHandle: true) : throw PosixException.FromLastError("open", path);
    }

    /// <summary>
    /// Asks the kernel to start reading a range of an open file into the page cache now (posix_fadvise
    /// WILLNEED), so a later read finds it there. Only advice: errors are ignored.
    /// </summary>
    public static void AdviseWillNeed(SafeFileHandle handle, long offset, long length)
    {
        ArgumentNullException.ThrowIfNull(handle);
        var added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            _ = LibC.PosixFadvise((int)handle.DangerousGetHandle(), offset, length, LibC.FadviseWillNeed);
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }
    }

    /// <summary>The target of a symlink, as bytes.</summary>
    public static unsafe byte[] ReadLink(RawPath path)
    {
        for (int size = 256; ; size *= 2)
        {
            var buffer = new byte[size];
            nint length;
            fixed (byte* p = path.Terminated)
            fixed (byte* b = buffer)
            {
                length = LibC.ReadLink(p, b, (nuint)size);
            }
            if (length < 0)
            {
                throw PosixException.FromLastError("readlink", path);
            }
            if (length < size)
            {
                return buffer[..(int)length];
            }
        }
    }

    /// <summary>The absolute path with every symlink, "." and ".." resolved (realpath(3)).</summary>
    public static unsafe RawPath RealPath(RawPath path)
    {
        byte* resolved;
        fixed (byte* p = path.Terminated)
        {
            resolved = LibC.RealPath(p, null);
        }
        if (resolved == null)
        {
            throw PosixException.FromLastError("realpath", path);
        }
        try
        {
            return new RawPath(MemoryMarshal.CreateReadOnlySpanFromNullTerminated(resolved));
        }
        finally
        {
            LibC.Free(resolved);
        }
    }

    /// <summary>open(2), retried when a signal interrupts it; returns the descriptor or -1 with errno set.</summary>
    private static unsafe int Open(RawPath path, int flags, uint mode)
    {
        fixed (byte* p = path.Terminated)
        {
            int fd;
            do
            {
                fd = LibC.Open(p, flags, mode);
            }
            while (fd < 0 && Marshal.GetLastPInvokeError() == Errno.EINTR);
            return fd;
        }
    }
}
