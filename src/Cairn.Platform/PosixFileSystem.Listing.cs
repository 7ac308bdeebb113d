using System.Runtime.InteropServices;
using Cairn.Platform.Internal;

namespace Cairn.Platform;

public static partial class PosixFileSystem
{
    /// <summary>
    /// The entries of a directory with the lstat of each, sorted by name bytes (without "." and ".."). Each entry is
    /// looked up relative to the open directory (statx on the directory descriptor), so the kernel resolves one name
    /// instead of the whole path again. The directory is opened with O_NOFOLLOW, like <see cref="ReadDirectory"/>.
    /// </summary>
    /// <param name="path">The directory.</param>
    /// <param name="scratch">A list to collect the entries in before they are copied out (cleared first), so a caller
    /// listing many directories reuses one instead of growing a new one for each.</param>
    public static unsafe DirectoryEntry[] ListDirectory(RawPath path, List<DirectoryEntry>? scratch = null)
    {
        var directory = OpenDirectory(path, out var fd);
        var entries = scratch ?? [];
        entries.Clear();
        try
        {
            for (byte* name; (name = NextName(directory, path)) != null;)
            {
                // d_name is NUL-terminated in place, so it goes to statx as it is.
                StatxBuffer buffer;
                bool stated = LibC.Statx(fd, name, LibC.AtSymlinkNoFollow, LibC.StatxBasicStats, &buffer) == 0;
                var bytes = MemoryMarshal.CreateReadOnlySpanFromNullTerminated(name).ToArray();
                entries.Add(new DirectoryEntry(bytes, stated ? buffer.ToFileStatus() : default, stated));
            }
        }
        finally
        {
            LibC.CloseDir(directory);
        }

        var sorted = entries.ToArray();
        entries.Clear();
        Array.Sort(sorted, static (a, b) => a.Name.AsSpan().SequenceCompareTo(b.Name));
        return sorted;
    }
}
