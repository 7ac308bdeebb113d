using System.IO.Enumeration;

namespace Cairn.Storage;

/// <summary>Walks the folders of a local repository, yielding only files whose names are valid object names.</summary>
internal static class LocalListing
{
    private static readonly EnumerationOptions Options = new()
    {
        AttributesToSkip = 0,
        IgnoreInaccessible = false,
        RecurseSubdirectories = false,
        ReturnSpecialDirectories = false,
    };

    /// <summary>The <c>data/xx</c> subfolders that exist, each with the prefix its objects must start with.</summary>
    public static IEnumerable<(string Path, string? Prefix)> PackFolders(string dataFolder)
    {
        var names = Enumerate(dataFolder, () => new FileSystemEnumerable<string>(dataFolder, (ref FileSystemEntry e) => e.FileName.ToString(), Options)
        {
            ShouldIncludePredicate = (ref FileSystemEntry e) => e.IsDirectory && IsPrefix(e.FileName),
        });

        return names.Select(name => (Path.Combine(dataFolder, name), (string?)name));
    }

    /// <summary>Objects of <paramref name="kind"/> in one folder; a missing folder has none.</summary>
    public static IEnumerable<ObjectInfo> Objects(string folder, ObjectKind kind, string? prefix) =>
        Enumerate(folder, () => new FileSystemEnumerable<ObjectInfo>(
            folder,
            (ref FileSystemEntry e) => new ObjectInfo(new ObjectName(kind, e.FileName.ToString()), e.Length),
            Options)
        {
            ShouldIncludePredicate = (ref FileSystemEntry e) => !e.IsDirectory
                && ObjectName.IsValid(kind, e.FileName)
                && (prefix is null || e.FileName.StartsWith(prefix, StringComparison.Ordinal)),
        });

    /// <summary>Runs an enumeration, treating a missing folder as empty and mapping other failures to storage errors.</summary>
    private static IEnumerable<T> Enumerate<T>(string folder, Func<IEnumerable<T>> open)
    {
        IEnumerator<T> enumerator;
        try
        {
            enumerator = open().GetEnumerator();
        }
        catch (DirectoryNotFoundException)
        {
            yield break;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw LocalErrors.Map(e, null, folder);
        }

        using (enumerator)
        {
            while (true)
            {
                try
                {
                    if (!enumerator.MoveNext())
                    {
                        yield break;
                    }
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    throw LocalErrors.Map(e, null, folder);
                }

                yield return enumerator.Current;
            }
        }
    }

    private static bool IsPrefix(ReadOnlySpan<char> name) => name.Length == 2
        && (char.IsAsciiDigit(name[0]) || char.IsAsciiHexDigitLower(name[0]))
        && (char.IsAsciiDigit(name[1]) || char.IsAsciiHexDigitLower(name[1]));
}
