using System.Text;
using Cairn.Platform;

namespace Cairn.Restore;

/// <summary>
/// What --delete removes: in each folder the restore covers, the entries the snapshot does not have, and of those
/// only what the include and exclude patterns select (an excluded path is kept, and with includes only an included
/// path is removed). Folders are listed without following links, so nothing outside the target is ever touched.
/// </summary>
internal static class ExtraEntries
{
    /// <summary>The extra entries, in folder order, with their paths on the disk and as the snapshot would name them.</summary>
    public static List<(RawPath Path, string SnapshotPath)> Find(RestorePlan plan)
    {
        var extra = new List<(RawPath, string)>();
        foreach (var folder in plan.Folders)
        {
            List<byte[]> names;
            try
            {
                names = PosixFileSystem.ReadDirectory(folder.Path);
            }
            catch (PosixException e) when (e.Errno is Errno.ENOENT or Errno.ENOTDIR)
            {
                // Not there (a dry run into a new target) or not a folder: nothing in it is ours to remove.
                continue;
            }

            foreach (var name in names)
            {
                if (folder.Names.Contains(PlannedFolder.Key(name)))
                {
                    continue;
                }

                var snapshotPath = folder.SnapshotPath + "/" + Encoding.UTF8.GetString(name);
                if (plan.Filter.IsExcluded(snapshotPath) || (!folder.IncludedByAncestor && !plan.Filter.IsIncluded(snapshotPath)))
                {
                    continue;
                }

                extra.Add((folder.Path.Join(name), snapshotPath));
            }
        }

        return extra;
    }

    /// <summary>Removes an entry and, for a folder, everything in it; a link is removed itself, never followed.</summary>
    public static void Remove(RawPath path)
    {
        if (PosixFileSystem.LStat(path).Kind == FileKind.Directory)
        {
            foreach (var name in PosixFileSystem.ReadDirectory(path))
            {
                Remove(path.Join(name));
            }
        }

        PosixFileSystem.Remove(path);
    }
}
