namespace Cairn.Space.Cloud;

/// <summary>Emptying and removing a local disk folder whose restored files and folders may be read-only.</summary>
internal static class LocalDisk
{
    public static void Empty(string folder)
    {
        if (!Directory.Exists(folder))
        {
            Directory.CreateDirectory(folder);
            return;
        }

        foreach (var entry in new DirectoryInfo(folder).EnumerateFileSystemInfos())
        {
            Remove(entry);
        }
    }

    public static void Delete(string folder)
    {
        if (Directory.Exists(folder))
        {
            Remove(new DirectoryInfo(folder));
        }
    }

    private static void Remove(FileSystemInfo entry)
    {
        if (entry is DirectoryInfo dir && entry.LinkTarget is null)
        {
            // A restored folder may be 0500: make it writable so its entries can go.
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(dir.FullName, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }

            foreach (var child in dir.EnumerateFileSystemInfos())
            {
                Remove(child);
            }

            dir.Delete();
        }
        else
        {
            entry.Delete();
        }
    }
}
