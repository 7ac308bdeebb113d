using Cairn.Platform;

namespace Cairn.Space.CloudRestore;

/// <summary>
/// Emptying and removing a local disk folder whose restored files and folders may be read-only and whose names are
/// raw bytes (a tenant's names need not be UTF-8), so it works on raw paths and never follows a link.
/// </summary>
internal static class LocalDisk
{
    private const uint OwnerAll = 0x1C0; // 0700

    public static void Empty(string folder)
    {
        if (!Directory.Exists(folder))
        {
            Directory.CreateDirectory(folder);
            return;
        }

        RemoveChildren(RawPath.FromString(folder));
    }

    public static void Delete(string folder)
    {
        if (Directory.Exists(folder))
        {
            var path = RawPath.FromString(folder);
            RemoveChildren(path);
            PosixFileSystem.Remove(path);
        }
    }

    private static void RemoveChildren(RawPath folder)
    {
        // A restored folder may be 0500: make it writable so its entries can go.
        PosixFileSystem.SetPermissions(folder, OwnerAll);
        foreach (var entry in PosixFileSystem.ListDirectory(folder))
        {
            var path = folder.Join(entry.Name);
            if (PosixFileSystem.LStat(path).Kind == FileKind.Directory)
            {
                RemoveChildren(path);
            }

            PosixFileSystem.Remove(path);
        }
    }
}
