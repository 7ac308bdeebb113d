using System.Runtime.InteropServices;
using Cairn.Platform.Internal;
using Microsoft.Win32.SafeHandles;

namespace Cairn.Platform;

public static partial class PosixFileSystem
{
    private static volatile bool s_mknodIsMissing;

    /// <summary>
    /// Creates a new regular file for writing: O_WRONLY|O_CREAT|O_EXCL|O_NOFOLLOW|O_CLOEXEC, so an existing
    /// file or symlink is never written through (EEXIST). The mode is filtered by the umask; set exact
    /// permissions with <see cref="SetPermissions(SafeFileHandle, uint, RawPath)"/>. The handle takes positioned, parallel
    /// <see cref="RandomAccess.Write(SafeFileHandle, ReadOnlySpan{byte}, long)"/> calls.
    /// </summary>
    public static SafeFileHandle CreateFile(RawPath path, uint permissions)
    {
        ModeBits.CheckPermissions(permissions, nameof(permissions));
        int fd = Open(path, OpenFlags.WriteOnly | OpenFlags.Create | OpenFlags.Exclusive | OpenFlags.NoFollow | OpenFlags.CloseOnExec, permissions);
        return fd >= 0 ? new SafeFileHandle(fd, ownsHandle: true) : throw PosixException.FromLastError("open", path);
    }

    /// <summary>
    /// Opens an existing regular file for writing, without following a symlink. Anything else (a fifo,
    /// a device node) is refused with EINVAL before a byte is written.
    /// </summary>
    public static SafeFileHandle OpenWrite(RawPath path)
    {
        int fd = Open(path, OpenFlags.WriteOnly | OpenFlags.NoFollow | OpenFlags.CloseOnExec | OpenFlags.NonBlock, 0);
        if (fd < 0)
        {
            throw PosixException.FromLastError("open", path);
        }
        var handle = new SafeFileHandle(fd, ownsHandle: true);
        try
        {
            var kind = Stat(handle).Kind;
            if (kind != FileKind.File)
            {
                throw new PosixException(Errno.EINVAL, "open", path, null, $"not a regular file but a {kind}");
            }
            return handle;
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>mkdir; an existing directory (not a symlink to one) is fine, anything else there is EEXIST.</summary>
    public static unsafe void CreateDirectory(RawPath path, uint permissions)
    {
        ModeBits.CheckPermissions(permissions, nameof(permissions));
        fixed (byte* p = path.Terminated)
        {
            if (LibC.MkDir(p, permissions) == 0)
            {
                return;
            }
        }
        var error = PosixException.FromLastError("mkdir", path);
        if (error.Errno == Errno.EEXIST && LStat(path).Kind == FileKind.Directory)
        {
            return;
        }
        throw error;
    }

    /// <summary>Creates a symlink at <paramref name="path"/> pointing to <paramref name="target"/> (any bytes but NUL).</summary>
    public static unsafe void CreateSymlink(byte[] target, RawPath path)
    {
        ArgumentNullException.ThrowIfNull(target);
        var terminatedTarget = new RawPath(target).Terminated;
        fixed (byte* t = terminatedTarget)
        fixed (byte* p = path.Terminated)
        {
            if (LibC.Symlink(t, p) != 0)
            {
                throw PosixException.FromLastError("symlink", path);
            }
        }
    }

    /// <summary>Gives <paramref name="existing"/> a second name; a symlink is linked itself, not its target.</summary>
    public static unsafe void CreateHardLink(RawPath existing, RawPath newPath)
    {
        fixed (byte* e = existing.Terminated)
        fixed (byte* n = newPath.Terminated)
        {
            if (LibC.Link(e, n) != 0)
            {
                throw PosixException.FromLastError("link", existing, newPath);
            }
        }
    }

    /// <summary>Creates a named pipe with the permissions.</summary>
    public static unsafe void CreateFifo(RawPath path, uint permissions)
    {
        ModeBits.CheckPermissions(permissions, nameof(permissions));
        fixed (byte* p = path.Terminated)
        {
            if (LibC.MkFifo(p, permissions) != 0)
            {
                throw PosixException.FromLastError("mkfifo", path);
            }
        }
    }

    /// <summary>mknod for a character or block device; needs CAP_MKNOD (root).</summary>
    /// <param name="path">Where to create it.</param>
    /// <param name="kind"><see cref="FileKind.CharDevice"/> or <see cref="FileKind.BlockDevice"/>.</param>
    /// <param name="permissions">st_mode &amp; 07777, filtered by the umask.</param>
    /// <param name="rdev">The device number, as <see cref="DeviceNumber.Make"/> builds it.</param>
    public static unsafe void CreateDeviceNode(RawPath path, FileKind kind, uint permissions, ulong rdev)
    {
        if (kind is not (FileKind.CharDevice or FileKind.BlockDevice))
        {
            throw new ArgumentOutOfRangeException(nameof(kind), kind, "a device node is a CharDevice or a BlockDevice");
        }
        uint mode = ModeBits.TypeOf(kind) | ModeBits.CheckPermissions(permissions, nameof(permissions));
        fixed (byte* p = path.Terminated)
        {
            if (MakeNode(p, mode, rdev) != 0)
            {
                throw PosixException.FromLastError("mknod", path);
            }
        }
    }

    private static unsafe int MakeNode(byte* path, uint mode, ulong rdev)
    {
        if (!s_mknodIsMissing)
        {
            try
            {
                return LibC.MkNod(path, mode, rdev);
            }
            catch (EntryPointNotFoundException)
            {
                s_mknodIsMissing = true;
            }
        }
        return LibC.XMkNod(0, path, mode, &rdev);
    }

    /// <summary>lchown: a symlink's own owner is set, not its target's. Clears setuid/setgid bits, so call it before <see cref="SetPermissions(RawPath, uint)"/>.</summary>
    public static unsafe void SetOwner(RawPath path, uint uid, uint gid)
    {
        fixed (byte* p = path.Terminated)
        {
            if (LibC.LChown(p, uid, gid) != 0)
            {
                throw PosixException.FromLastError("lchown", path);
            }
        }
    }

    /// <summary>chmod to exactly these bits (st_mode &amp; 07777, not filtered by the umask). Follows symlinks: do not call it on one.</summary>
    public static unsafe void SetPermissions(RawPath path, uint permissions)
    {
        ModeBits.CheckPermissions(permissions, nameof(permissions));
        fixed (byte* p = path.Terminated)
        {
            if (LibC.Chmod(p, permissions) != 0)
            {
                throw PosixException.FromLastError("chmod", path);
            }
        }
    }

    /// <summary>utimensat with AT_SYMLINK_NOFOLLOW: nanosecond atime and mtime, on symlinks too.</summary>
    public static unsafe void SetTimes(RawPath path, Timestamp access, Timestamp modify)
    {
        var times = stackalloc LibC.TimeSpec[2];
        times[0] = LibC.TimeSpec.Of(access);
        times[1] = LibC.TimeSpec.Of(modify);
        fixed (byte* p = path.Terminated)
        {
            if (LibC.UTimeNsAt(LibC.AtFdCwd, p, times, LibC.AtSymlinkNoFollow) != 0)
            {
                throw PosixException.FromLastError("utimensat", path);
            }
        }
    }

    /// <summary>ftruncate: cuts or extends (with a hole) an open file to <paramref name="length"/> bytes.</summary>
    public static void Truncate(SafeFileHandle handle, long length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        using var lease = new DescriptorLease(handle);
        if (LibC.FTruncate(lease.Descriptor, length) != 0)
        {
            throw PosixException.FromLastError("ftruncate", default);
        }
    }

    /// <summary>unlink, or rmdir for a directory (which must be empty).</summary>
    public static unsafe void Remove(RawPath path)
    {
        fixed (byte* p = path.Terminated)
        {
            if (LibC.Unlink(p) == 0)
            {
                return;
            }
            if (Marshal.GetLastPInvokeError() != Errno.EISDIR)
            {
                throw PosixException.FromLastError("unlink", path);
            }
            if (LibC.RmDir(p) != 0)
            {
                throw PosixException.FromLastError("rmdir", path);
            }
        }
    }

    /// <summary>rename(2): atomic, replaces <paramref name="to"/> when it exists (and is not a non-empty directory).</summary>
    public static unsafe void Rename(RawPath from, RawPath to)
    {
        fixed (byte* f = from.Terminated)
        fixed (byte* t = to.Terminated)
        {
            if (LibC.Rename(f, t) != 0)
            {
                throw PosixException.FromLastError("rename", from, to);
            }
        }
    }
}
