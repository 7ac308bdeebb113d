using System.Runtime.InteropServices;
using Cairn.Platform.Internal;

namespace Cairn.Platform;

public static partial class PosixFileSystem
{
    /// <summary>
    /// Every extended attribute of the file itself (not a symlink's target) that this process may read,
    /// sorted by name bytes. A file system without xattr support gives an empty list.
    /// </summary>
    public static unsafe List<(byte[] Name, byte[] Value)> ListXattrs(RawPath path)
    {
        var attributes = new List<(byte[] Name, byte[] Value)>();
        var names = ListXattrNames(path);
        fixed (byte* list = names)
        {
            // The list is NUL-separated names, each terminated in place, so it can be passed on as it is.
            for (int start = 0; start < names.Length;)
            {
                int length = names.AsSpan(start).IndexOf((byte)0);
                if (length < 0)
                {
                    break;
                }
                if (length > 0 && GetXattr(path, list + start) is { } value)
                {
                    attributes.Add((names[start..(start + length)], value));
                }
                start += length + 1;
            }
        }
        attributes.Sort(static (a, b) => a.Name.AsSpan().SequenceCompareTo(b.Name));
        return attributes;
    }

    /// <summary>lsetxattr: creates or replaces one attribute on the file itself (not a symlink's target).</summary>
    public static unsafe void SetXattr(RawPath path, ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
    {
        var terminatedName = TerminatedAttributeName(name);
        fixed (byte* p = path.Terminated)
        fixed (byte* n = terminatedName)
        fixed (byte* v = value)
        {
            if (LibC.LSetXattr(p, n, v, (nuint)value.Length, 0) != 0)
            {
                throw SetXattrFailed("lsetxattr", path, name);
            }
        }
    }

    /// <summary>The name followed by a NUL, for *setxattr.</summary>
    /// <exception cref="ArgumentException">The name is empty or contains a NUL.</exception>
    private static byte[] TerminatedAttributeName(ReadOnlySpan<byte> name)
    {
        if (name.IsEmpty || name.Contains((byte)0))
        {
            throw new ArgumentException($"not an attribute name: \"{RawPath.Display(name)}\"", nameof(name));
        }
        var terminated = new byte[name.Length + 1];
        name.CopyTo(terminated);
        return terminated;
    }

    /// <summary>A failed *setxattr, naming the attribute as well as the path.</summary>
    private static PosixException SetXattrFailed(string call, RawPath path, ReadOnlySpan<byte> name)
    {
        int errno = Marshal.GetLastPInvokeError();
        return new PosixException(errno, call, path, null, $"{RawPath.Display(name)}: {Marshal.GetPInvokeErrorMessage(errno)}");
    }

    private static unsafe byte[] ListXattrNames(RawPath path)
    {
        fixed (byte* p = path.Terminated)
        {
            while (true)
            {
                nint size = LibC.LListXattr(p, null, 0);
                if (size <= 0)
                {
                    return size == 0 || Marshal.GetLastPInvokeError() == Errno.ENOTSUP
                        ? []
                        : throw PosixException.FromLastError("llistxattr", path);
                }
                var names = new byte[size];
                nint length;
                fixed (byte* list = names)
                {
                    length = LibC.LListXattr(p, list, (nuint)size);
                }
                if (length >= 0)
                {
                    return names[..(int)length];
                }
                // ERANGE: an attribute was added since the size was asked; ask again.
                if (Marshal.GetLastPInvokeError() != Errno.ERANGE)
                {
                    throw PosixException.FromLastError("llistxattr", path);
                }
            }
        }
    }

    /// <summary>One attribute's value, or null when it was removed since it was listed.</summary>
    private static unsafe byte[]? GetXattr(RawPath path, byte* name)
    {
        fixed (byte* p = path.Terminated)
        {
            while (true)
            {
                nint size = LibC.LGetXattr(p, name, null, 0);
                if (size < 0)
                {
                    return Marshal.GetLastPInvokeError() == Errno.ENODATA ? null : throw XattrError(path, name);
                }
                var value = new byte[size];
                nint length;
                fixed (byte* v = value)
                {
                    length = LibC.LGetXattr(p, name, size == 0 ? null : v, (nuint)size);
                }
                if (length >= 0)
                {
                    return value[..(int)length];
                }
                int errno = Marshal.GetLastPInvokeError();
                if (errno == Errno.ENODATA)
                {
                    return null;
                }
                if (errno != Errno.ERANGE)
                {
                    throw XattrError(path, name);
                }
            }
        }
    }

    private static unsafe PosixException XattrError(RawPath path, byte* name)
    {
        int errno = Marshal.GetLastPInvokeError();
        string attribute = RawPath.Display(MemoryMarshal.CreateReadOnlySpanFromNullTerminated(name));
        return new PosixException(errno, "lgetxattr", path, null, $"{attribute}: {Marshal.GetPInvokeErrorMessage(errno)}");
    }
}
