using System.Runtime.InteropServices;
using System.Text;
using Cairn.Platform.Internal;
using static Cairn.Platform.Internal.LibFuse;

namespace Cairn.Platform.Fuse;

/// <summary>
/// The operations libfuse calls, as unmanaged function pointers (Native AOT needs no delegates or marshalling).
/// Each finds its mount through the session's private data, returns 0 or a negative errno, and never lets an
/// exception cross into C.
/// </summary>
public sealed unsafe partial class FuseMount
{
    private const int AccessModeMask = 3; // O_ACCMODE; O_RDONLY is 0

    private static IFuseFileSystem Current => ((FuseMount)GCHandle.FromIntPtr((nint)GetContext()->PrivateData).Target!)._fileSystem;

    private static ReadOnlySpan<byte> PathOf(byte* path) => MemoryMarshal.CreateReadOnlySpanFromNullTerminated(path);

    private static int Fail(Exception exception)
    {
        // Nothing may cross into libfuse; the reader sees EIO and the reason goes to standard error.
        try
        {
            Console.Error.WriteLine($"mount: {exception.Message}");
        }
        catch (IOException)
        {
        }

        return -Errno.EIO;
    }

    [UnmanagedCallersOnly]
    private static int OnGetAttr(byte* path, Stat* stat, FuseFileInfo* info)
    {
        try
        {
            var error = Current.GetAttributes(PathOf(path), out var a);
            if (error != 0)
            {
                return -error;
            }

            *stat = default;
            stat->Mode = ModeBits.TypeOf(a.Kind) | a.Permissions;
            stat->Links = Math.Max(1, a.Links);
            stat->Uid = a.Uid;
            stat->Gid = a.Gid;
            stat->Size = (long)a.Size;
            stat->BlockSize = 4096;
            stat->Blocks = (long)((a.Size + 511) / 512);
            stat->RDevice = a.Device;
            stat->AccessSeconds = a.AccessTime.Seconds;
            stat->AccessNanoseconds = a.AccessTime.Nanoseconds;
            stat->ModifySeconds = a.ModifyTime.Seconds;
            stat->ModifyNanoseconds = a.ModifyTime.Nanoseconds;
            stat->ChangeSeconds = a.ChangeTime.Seconds;
            stat->ChangeNanoseconds = a.ChangeTime.Nanoseconds;
            return 0;
        }
        catch (Exception e)
        {
            return Fail(e);
        }
    }

    [UnmanagedCallersOnly]
    private static int OnReadLink(byte* path, byte* buffer, nuint size)
    {
        try
        {
            var error = Current.ReadLink(PathOf(path), out var target);
            if (error != 0)
            {
                return -error;
            }

            // readlink's contract in fuse.h: NUL-terminated, truncated to fit.
            var length = (int)Math.Min((ulong)target.Length, size - 1);
            target.AsSpan(0, length).CopyTo(new Span<byte>(buffer, length));
            buffer[length] = 0;
            return 0;
        }
        catch (Exception e)
        {
            return Fail(e);
        }
    }

    [UnmanagedCallersOnly]
    private static int OnOpen(byte* path, FuseFileInfo* info)
    {
        try
        {
            if ((info->Flags & AccessModeMask) != 0)
            {
                return -Errno.EROFS;
            }

            var error = Current.Open(PathOf(path), out var handle);
            if (error == 0)
            {
                info->FileHandle = handle;
            }

            return -error;
        }
        catch (Exception e)
        {
            return Fail(e);
        }
    }

    [UnmanagedCallersOnly]
    private static int OnRead(byte* path, byte* buffer, nuint size, long offset, FuseFileInfo* info)
    {
        try
        {
            var error = Current.Read(info->FileHandle, offset, new Span<byte>(buffer, (int)Math.Min(size, int.MaxValue)), out var read);
            return error != 0 ? -error : read;
        }
        catch (Exception e)
        {
            return Fail(e);
        }
    }

    [UnmanagedCallersOnly]
    private static int OnRelease(byte* path, FuseFileInfo* info)
    {
        try
        {
            Current.Release(info->FileHandle);
            return 0;
        }
        catch (Exception e)
        {
            return Fail(e);
        }
    }

    [UnmanagedCallersOnly]
    private static int OnReadDir(byte* path, void* buffer, delegate* unmanaged<void*, byte*, Stat*, long, int, int> fill, long offset, FuseFileInfo* info, int flags)
    {
        try
        {
            var error = Current.ReadDirectory(PathOf(path), out var names);
            if (error != 0)
            {
                return -error;
            }

            // Offsets of 0: the whole folder goes in one call, as fuse.h's first mode of readdir allows.
            var dot = stackalloc byte[] { (byte)'.', (byte)'.', 0 };
            fill(buffer, dot + 1, null, 0, 0);
            fill(buffer, dot, null, 0, 0);
            var name = new byte[256];
            foreach (var entry in names)
            {
                if (entry.Length + 1 > name.Length)
                {
                    name = new byte[entry.Length + 1];
                }

                entry.CopyTo(name, 0);
                name[entry.Length] = 0;
                fixed (byte* n = name)
                {
                    fill(buffer, n, null, 0, 0);
                }
            }

            return 0;
        }
        catch (Exception e)
        {
            return Fail(e);
        }
    }

    [UnmanagedCallersOnly]
    private static int OnGetXattr(byte* path, byte* name, byte* value, nuint size)
    {
        try
        {
            var error = Current.GetExtendedAttributes(PathOf(path), out var attributes);
            if (error != 0)
            {
                return -error;
            }

            var wanted = Encoding.UTF8.GetString(PathOf(name));
            foreach (var (attributeName, bytes) in attributes)
            {
                if (attributeName == wanted)
                {
                    return Copy(bytes, value, size);
                }
            }

            return -Errno.ENODATA;
        }
        catch (Exception e)
        {
            return Fail(e);
        }
    }

    [UnmanagedCallersOnly]
    private static int OnListXattr(byte* path, byte* list, nuint size)
    {
        try
        {
            var error = Current.GetExtendedAttributes(PathOf(path), out var attributes);
            if (error != 0)
            {
                return -error;
            }

            // listxattr(2): the names, each followed by a NUL.
            var names = new List<byte>();
            foreach (var (attributeName, _) in attributes)
            {
                names.AddRange(Encoding.UTF8.GetBytes(attributeName));
                names.Add(0);
            }

            return Copy([.. names], list, size);
        }
        catch (Exception e)
        {
            return Fail(e);
        }
    }

    /// <summary>getxattr(2)'s size protocol: a size of 0 asks for the length, a short buffer is ERANGE.</summary>
    private static int Copy(byte[] bytes, byte* destination, nuint size)
    {
        if (size == 0)
        {
            return bytes.Length;
        }

        if (size < (nuint)bytes.Length)
        {
            return -Errno.ERANGE;
        }

        bytes.CopyTo(new Span<byte>(destination, bytes.Length));
        return bytes.Length;
    }
}
