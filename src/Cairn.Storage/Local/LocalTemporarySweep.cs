using System.IO.Enumeration;

namespace Cairn.Storage;

/// <summary>
/// Finds and removes the <c>.tmp-*</c> files a local repository's writers leave when they die mid-save: in the
/// root (<c>config</c>), each kind's folder and every <c>data/xx</c> folder. Nothing else is looked at or touched.
/// </summary>
internal static class LocalTemporarySweep
{
    private static readonly EnumerationOptions Options = new()
    {
        AttributesToSkip = 0,
        IgnoreInaccessible = true,
        RecurseSubdirectories = false,
        ReturnSpecialDirectories = false,
    };

    public static TemporarySweepResult Sweep(LocalLayout layout, DateTimeOffset writtenBefore, CancellationToken cancellationToken)
    {
        var result = default(TemporarySweepResult);
        foreach (var folder in FoldersOf(layout))
        {
            cancellationToken.ThrowIfCancellationRequested();
            foreach (var (path, length) in StaleIn(folder, writtenBefore.UtcDateTime))
            {
                try
                {
                    if (UnixFileSystem.TryDelete(path))
                    {
                        result += new TemporarySweepResult(1, length);
                    }
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    // Another sweeper or the writer itself got there first, or it is not ours to remove.
                }
            }
        }

        return result;
    }

    private static IEnumerable<string> FoldersOf(LocalLayout layout)
    {
        yield return layout.Root;
        foreach (var kind in ObjectKinds.All)
        {
            if (kind == ObjectKind.Config)
            {
                continue;
            }

            var folder = layout.KindFolder(kind);
            yield return folder;
            if (kind == ObjectKind.Pack)
            {
                foreach (var (path, _) in LocalListing.PackFolders(folder))
                {
                    yield return path;
                }
            }
        }
    }

    /// <summary>Temporary files of one folder last written before the cut-off; a missing folder has none.</summary>
    private static List<(string Path, long Length)> StaleIn(string folder, DateTime cutoffUtc)
    {
        if (!Directory.Exists(folder))
        {
            return [];
        }

        try
        {
            var enumerable = new FileSystemEnumerable<(string, long)>(
                folder,
                (ref FileSystemEntry e) => (e.ToFullPath(), e.Length),
                Options)
            {
                ShouldIncludePredicate = (ref FileSystemEntry e) => !e.IsDirectory
                    && e.FileName.StartsWith(LocalLayout.TempPrefix, StringComparison.Ordinal)
                    && e.LastWriteTimeUtc.UtcDateTime < cutoffUtc,
            };
            return [.. enumerable];
        }
        catch (Exception e) when (e is DirectoryNotFoundException)
        {
            return [];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw LocalErrors.Map(e, null, folder);
        }
    }
}
