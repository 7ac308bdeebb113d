using Cairn.Platform.Internal;
using Microsoft.Win32.SafeHandles;

namespace Cairn.Platform;

/// <summary>
/// Metadata set through an open file rather than its path: a restore that has just written a file sets its owner,
/// mode, attributes and times before closing it, without the kernel resolving the path again for each. Errors name
/// the <c>path</c> argument, which is only used for messages.
/// </summary>
public static partial class PosixFileSystem
{
    /// <summary>fchown. Clears setuid/setgid bits, so call it before <see cref="SetPermissions(SafeFileHandle, uint, RawPath)"/>.</summary>
    public static void SetOwner(SafeFileHandle handle, uint uid, uint gid, RawPath path)
    {
        using var lease = new DescriptorLease(handle);
        if (LibC.FChown(lease.Descriptor, uid, gid) != 0)
        {
            throw PosixException.FromLastError("fchown", path);
        }
    }

    /// <summary>fchmod to exactly these bits (st_mode &amp; 07777, not filtered by the umask).</summary>
    public static void SetPermissions(SafeFileHandle handle, uint permissions, RawPath path)
    {
        ModeBits.CheckPermissions(permissions, nameof(permissions));
        using var lease = new DescriptorLease(handle);
        if (LibC.FChmod(lease.Descriptor, permissions) != 0)
        {
            throw PosixException.FromLastError("fchmod", path);
        }
    }

    /// <summary>futimens: nanosecond atime and mtime. Set last: a write after it would move the mtime.</summary>
    public static unsafe void SetTimes(SafeFileHandle handle, Timestamp access, Timestamp modify, RawPath path)
    {
        var times = stackalloc LibC.TimeSpec[2];
        times[0] = LibC.TimeSpec.Of(access);
        times[1] = LibC.TimeSpec.Of(modify);
        using var lease = new DescriptorLease(handle);
        if (LibC.FUTimeNs(lease.Descriptor, times) != 0)
        {
            throw PosixException.FromLastError("futimens", path);
        }
    }

    /// <summary>fsetxattr: creates or replaces one attribute.</summary>
    public static unsafe void SetXattr(SafeFileHandle handle, ReadOnlySpan<byte> name, ReadOnlySpan<byte> value, RawPath path)
    {
        var terminatedName = TerminatedAttributeName(name);
        using var lease = new DescriptorLease(handle);
        fixed (byte* n = terminatedName)
        fixed (byte* v = value)
        {
            if (LibC.FSetXattr(lease.Descriptor, n, v, (nuint)value.Length, 0) != 0)
            {
                throw SetXattrFailed("fsetxattr", path, name);
            }
        }
    }
}
