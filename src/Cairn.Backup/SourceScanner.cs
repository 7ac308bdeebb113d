using Cairn.Platform;
using Cairn.Repository.Filtering;

namespace Cairn.Backup;

/// <summary>Counts what a backup will read (files and bytes) so progress can show an ETA; runs beside the backup.</summary>
public static class SourceScanner
{
    public static (long Files, long Bytes) Scan(IEnumerable<string> paths, PathPatternSet excludes, CancellationToken cancellationToken)
    {
        long files = 0, bytes = 0;
        var stack = new Stack<RawPath>(paths.Select(p => RawPath.FromString(Path.GetFullPath(p))));
        while (stack.Count > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var path = stack.Pop();
            if (excludes.IsMatch(path.Bytes))
            {
                continue;
            }

            try
            {
                var status = PosixFileSystem.LStat(path);
                if (status.Kind == FileKind.Directory)
                {
                    foreach (var name in PosixFileSystem.ReadDirectory(path))
                    {
                        stack.Push(path.Join(name));
                    }
                }
                else if (status.Kind == FileKind.File)
                {
                    files++;
                    bytes += status.Size;
                }
            }
            catch (IOException)
            {
                // The backup itself reports unreadable entries.
            }
        }

        return (files, bytes);
    }
}
