using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using Cairn.Platform.Internal;
using static Cairn.Platform.Internal.LibFuse;

namespace Cairn.Platform.Fuse;

/// <summary>
/// An <see cref="IFuseFileSystem"/> mounted read-only through libfuse3. <see cref="Run"/> serves requests on the
/// calling thread until the mount goes away (umount, fusermount3 -u, or <see cref="RequestUnmount"/>); disposing
/// unmounts what is still mounted and frees the session.
/// </summary>
public sealed unsafe partial class FuseMount : IDisposable
{
    private const string DeviceNode = "/dev/fuse";
    private const int MountDetach = 2; // MNT_DETACH

    private readonly GCHandle _self;
    private readonly FuseOperations* _operations;
    private readonly IFuseFileSystem _fileSystem;
    private nint _fuse;
    private int _unmountRequested;

    private FuseMount(string mountpoint, IFuseFileSystem fileSystem)
    {
        Mountpoint = mountpoint;
        _fileSystem = fileSystem;
        _self = GCHandle.Alloc(this);
        _operations = (FuseOperations*)NativeMemory.AllocZeroed((nuint)sizeof(FuseOperations));
        _operations->GetAttr = &OnGetAttr;
        _operations->ReadLink = &OnReadLink;
        _operations->Open = &OnOpen;
        _operations->Read = &OnRead;
        _operations->Release = &OnRelease;
        _operations->GetXattr = &OnGetXattr;
        _operations->ListXattr = &OnListXattr;
        _operations->ReadDir = &OnReadDir;
    }

    /// <summary>The folder the file system is mounted on.</summary>
    public string Mountpoint { get; }

    /// <summary>Mounts <paramref name="fileSystem"/> at <paramref name="mountpoint"/> (an existing folder).</summary>
    /// <exception cref="FuseUnavailableException">No /dev/fuse, no libfuse3, or the kernel refused the mount.</exception>
    public static FuseMount Mount(string mountpoint, IFuseFileSystem fileSystem, FuseMountOptions options)
    {
        ArgumentNullException.ThrowIfNull(fileSystem);
        ArgumentNullException.ThrowIfNull(options);
        if (RuntimeInformation.ProcessArchitecture != Architecture.X64)
        {
            throw new FuseUnavailableException($"mounting is only supported on x86_64 Linux, not {RuntimeInformation.ProcessArchitecture}");
        }

        if (!File.Exists(DeviceNode))
        {
            throw new FuseUnavailableException($"{DeviceNode} does not exist: FUSE is not available on this machine (load the fuse kernel module, or give the container the device with --device /dev/fuse)");
        }

        if (!Directory.Exists(mountpoint))
        {
            throw new FuseUnavailableException($"mountpoint {mountpoint} is not a folder");
        }

        var mount = new FuseMount(mountpoint, fileSystem);
        try
        {
            mount.Start(options);
            return mount;
        }
        catch
        {
            mount.Dispose();
            throw;
        }
    }

    private void Start(FuseMountOptions options)
    {
        var mountOptions = new StringBuilder("ro,kernel_cache,fsname=").Append(options.FileSystemName.Replace(',', '_')).Append(",subtype=cairn");
        if (options.DefaultPermissions)
        {
            mountOptions.Append(",default_permissions");
        }

        if (options.AllowOther)
        {
            mountOptions.Append(",allow_other");
        }

        byte[][] argv = [Terminated("cairn"), Terminated("-o"), Terminated(mountOptions.ToString())];
        try
        {
            fixed (byte* a0 = argv[0], a1 = argv[1], a2 = argv[2], point = Terminated(Mountpoint))
            {
                var pointers = stackalloc byte*[] { a0, a1, a2, null };
                var args = new FuseArgs { Argc = 3, Argv = pointers, Allocated = 0 };
                _fuse = New(&args, _operations, (nuint)sizeof(FuseOperations), (void*)GCHandle.ToIntPtr(_self));
                if (_fuse == 0)
                {
                    throw new FuseUnavailableException($"libfuse refused the mount options \"{mountOptions}\"");
                }

                if (LibFuse.Mount(_fuse, point) != 0)
                {
                    throw new FuseUnavailableException($"cannot mount at {Mountpoint} (libfuse's reason is printed above)");
                }
            }
        }
        catch (DllNotFoundException)
        {
            throw new FuseUnavailableException("libfuse3.so.3 is not installed (Debian: apt-get install fuse3)");
        }
    }

    /// <summary>Serves requests until the file system is unmounted; returns libfuse's result (0 for a clean end).</summary>
    public int Run()
    {
        ObjectDisposedException.ThrowIf(_fuse == 0, this);
        return Loop(_fuse);
    }

    /// <summary>
    /// Unmounts from another thread (Ctrl-C): the kernel then ends the connection and <see cref="Run"/> returns.
    /// Root unmounts directly (lazily when something is still open); others ask fusermount3, as libfuse does.
    /// </summary>
    public void RequestUnmount()
    {
        if (Interlocked.Exchange(ref _unmountRequested, 1) != 0 || _fuse == 0)
        {
            return;
        }

        Exit(_fuse);
        if (Environment.IsPrivilegedProcess)
        {
            var point = Terminated(Mountpoint);
            fixed (byte* p = point)
            {
                if (Umount2(p, 0) != 0 && Marshal.GetLastPInvokeError() == Errno.EBUSY)
                {
                    Umount2(p, MountDetach);
                }
            }

            return;
        }

        foreach (var helper in new[] { "fusermount3", "fusermount" })
        {
            try
            {
                using var process = Process.Start(new ProcessStartInfo(helper) { ArgumentList = { "-u", "-z", "-q", Mountpoint }, UseShellExecute = false });
                process?.WaitForExit(TimeSpan.FromSeconds(10));
                return;
            }
            catch (System.ComponentModel.Win32Exception)
            {
                // Not installed: try the next name.
            }
        }
    }

    /// <summary>Unmounts the file system and waits for its loop to end.</summary>
    public void Dispose()
    {
        if (_fuse != 0)
        {
            Unmount(_fuse);
            Destroy(_fuse);
            _fuse = 0;
        }

        if (_self.IsAllocated)
        {
            _self.Free();
        }

        NativeMemory.Free(_operations);
    }

    /// <summary>The real user and group of this process, owners of what a mount makes up.</summary>
    public static (uint Uid, uint Gid) MountingUser => (GetUid(), GetGid());

    [LibraryImport("libc", EntryPoint = "getuid")]
    private static partial uint GetUid();

    [LibraryImport("libc", EntryPoint = "getgid")]
    private static partial uint GetGid();

    [LibraryImport("libc", EntryPoint = "umount2", SetLastError = true)]
    private static partial int Umount2(byte* target, int flags);

    private static byte[] Terminated(string text)
    {
        var bytes = new byte[Encoding.UTF8.GetByteCount(text) + 1];
        Encoding.UTF8.GetBytes(text, bytes);
        return bytes;
    }
}
