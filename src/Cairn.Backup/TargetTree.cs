using System.Text;
using Cairn.Platform;

namespace Cairn.Backup;

/// <summary>
/// The folders a snapshot's root tree is made of: each backup path keeps its own components (an absolute path
/// from the root, a relative one from the working directory), as restic lays them out; folders on the way to a
/// backup path are recorded with their own metadata.
/// </summary>
internal sealed class TargetTree
{
    public SortedDictionary<byte[], TargetTree> Children { get; } = new(ByteOrder.Instance);

    /// <summary>The real path of this entry on disk.</summary>
    public RawPath FsPath { get; private init; }

    /// <summary>True when this entry is one of the paths given: it is backed up whole.</summary>
    public bool IsTarget { get; private set; }

    public static TargetTree Build(IReadOnlyList<string> paths, string workingDirectory)
    {
        var root = new TargetTree { FsPath = RawPath.FromString("/") };
        foreach (var given in paths)
        {
            var absolute = Path.GetFullPath(given, workingDirectory);
            var relative = Path.IsPathRooted(given) ? null : Path.GetRelativePath(workingDirectory, absolute);
            // A relative path that climbs out of the working directory is stored from the root instead.
            var shown = relative is null || relative.StartsWith("..", StringComparison.Ordinal) || relative == "." ? absolute : relative;
            var baseDir = shown == absolute ? "/" : workingDirectory;
            var components = shown.Split('/', StringSplitOptions.RemoveEmptyEntries);
            var node = root;
            var fs = baseDir;
            if (components.Length == 0)
            {
                // "/" itself: its children are the targets.
                root.IsTarget = true;
                continue;
            }

            foreach (var c in components)
            {
                fs = Path.Join(fs, c);
                var key = Encoding.UTF8.GetBytes(c);
                if (!node.Children.TryGetValue(key, out var child))
                {
                    child = new TargetTree { FsPath = RawPath.FromString(fs) };
                    node.Children[key] = child;
                }

                node = child;
            }

            node.IsTarget = true;
        }

        return root;
    }

    internal sealed class ByteOrder : IComparer<byte[]>
    {
        public static readonly ByteOrder Instance = new();

        public int Compare(byte[]? x, byte[]? y) => x.AsSpan().SequenceCompareTo(y);
    }
}
