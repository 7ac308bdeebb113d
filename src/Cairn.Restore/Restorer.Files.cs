using Cairn.Platform;
using Cairn.Repository.Format;
using Microsoft.Win32.SafeHandles;

namespace Cairn.Restore;

/// <summary>The files being written, and the metadata every entry gets.</summary>
public sealed partial class Restorer
{
    /// <summary>Creates an entry; if something stands at its path (a restore into a used folder), that is removed first.</summary>
    private static void CreateReplacing(RawPath path, Action create)
    {
        try
        {
            create();
        }
        catch (PosixException e) when (e.Errno == Errno.EEXIST)
        {
            if (PosixFileSystem.LStat(path).Kind == FileKind.Directory)
            {
                throw new UnsafeSnapshotException($"refusing to replace the directory {path} by a file");
            }

            PosixFileSystem.Remove(path);
            create();
        }
    }

    /// <summary>
    /// A file being filled: created (or opened) on its first write, closed after its last, so open handles stay few.
    /// Before it is closed, its metadata is set through the open handle. With <see cref="RestoreOptions.Sparse"/>,
    /// chunks of zeros are not written, so they become holes. It locks itself (one lock object fewer per
    /// file: a restore holds one of these for every file until the end).
    /// </summary>
    private sealed class OpenFile(PlannedEntry entry, bool exists, RestoreOptions options, Action<RawPath, string> warn)
    {
        private SafeFileHandle? _handle;
        private bool _failed;

        public PlannedEntry Entry => entry;

        public int Pending { get; set; }

        /// <summary>Every write done and the metadata applied (or warned about).</summary>
        public bool Finished { get; private set; }

        public void Write(ReadOnlySpan<byte> data, long offset)
        {
            SafeFileHandle handle;
            lock (this)
            {
                if (_failed)
                {
                    return;
                }

                if (_handle is null)
                {
                    try
                    {
                        if (exists)
                        {
                            _handle = PosixFileSystem.OpenWrite(entry.Path);
                        }
                        else
                        {
                            SafeFileHandle? created = null;
                            CreateReplacing(entry.Path, () => created = PosixFileSystem.CreateFile(entry.Path, OwnerOnlyFile));
                            _handle = created!;
                            exists = true;
                        }
                    }
                    catch (PosixException e)
                    {
                        _failed = true;
                        warn(entry.Path, e.Message);
                        return;
                    }
                }

                handle = _handle;
            }

            // Every file written is new (or was just created empty), so a chunk of zeros left unwritten reads back as zeros.
            if (!options.Sparse || data.ContainsAnyExcept((byte)0))
            {
                RandomAccess.Write(handle, data, offset);
            }

            lock (this)
            {
                if (--Pending == 0)
                {
                    if (options.Sparse)
                    {
                        // Trailing zeros were not written: the length is set, leaving them a hole.
                        try
                        {
                            PosixFileSystem.Truncate(_handle, (long)entry.Node.Size);
                        }
                        catch (PosixException e)
                        {
                            warn(entry.Path, e.Message);
                        }
                    }

                    ApplyMetadata(entry, options, warn, _handle);
                    Finished = true;
                    _handle.Dispose();
                    _handle = null;
                }
            }
        }
    }

    /// <summary>Owner, mode, attributes and times, in that order (chown clears setuid bits; times come last).</summary>
    /// <param name="handle">The entry's open file, to set them through instead of its path.</param>
    private static void ApplyMetadata(PlannedEntry entry, RestoreOptions options, Action<RawPath, string> warn, SafeFileHandle? handle = null)
    {
        var node = entry.Node;
        var path = entry.Path;
        try
        {
            if (options.Safety.ApplyOwners && PosixFileSystem.EffectiveUserId == 0)
            {
                if (handle is null)
                {
                    PosixFileSystem.SetOwner(path, node.Uid, node.Gid);
                }
                else
                {
                    PosixFileSystem.SetOwner(handle, node.Uid, node.Gid, path);
                }
            }

            if (node.Type != NodeType.Symlink)
            {
                var permissions = options.Safety.Permissions(GoFileMode.ToPosix(node.Mode).Permissions);
                if (handle is null)
                {
                    PosixFileSystem.SetPermissions(path, permissions);
                }
                else
                {
                    PosixFileSystem.SetPermissions(handle, permissions, path);
                }
            }

            foreach (var xattr in node.ExtendedAttributes ?? [])
            {
                if (!options.Safety.Applies(xattr.Name))
                {
                    continue;
                }

                var name = System.Text.Encoding.UTF8.GetBytes(xattr.Name);
                if (handle is null)
                {
                    PosixFileSystem.SetXattr(path, name, xattr.Value);
                }
                else
                {
                    PosixFileSystem.SetXattr(handle, name, xattr.Value, path);
                }
            }

            if (handle is null)
            {
                PosixFileSystem.SetTimes(path, ToTimestamp(node.AccessTime), ToTimestamp(node.ModTime));
            }
            else
            {
                PosixFileSystem.SetTimes(handle, ToTimestamp(node.AccessTime), ToTimestamp(node.ModTime), path);
            }
        }
        catch (PosixException e)
        {
            warn(path, e.Message);
        }
    }

    private static Timestamp ToTimestamp(NodeTime t) => new(t.UnixSeconds, t.Nanoseconds);

    private static string Describe(NodeType type) => type switch
    {
        NodeType.Dev => "block device",
        NodeType.CharDev => "character device",
        NodeType.Fifo => "FIFO",
        _ => type.ToString(),
    };
}
