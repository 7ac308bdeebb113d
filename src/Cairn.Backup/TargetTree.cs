using System.Text;
using Cairn.Platform;

namespace Cairn.Backup;

/// <summary>
/// The folders a snapshot's root tree is made of, laid out as restic lays them out: an absolute backup path keeps
/// all its components; a relative one is cleaned and loses any leading "..", so "b" is stored as b, "../a" as a,
/// and "." or ".." put that folder's contents at the root. Folders on the way to a backup path are recorded with
/// their own metadata.
/// </summary>
internal sealed class TargetTree
{
    public SortedDictionary<byte[], TargetTree> Children { get; } = new(ByteOrder.Instance);

    /// <summary>The real path of this entry on disk.</summary>
    public RawPath FsPath { get; private set; }

    /// <summary>True when this entry is one of the paths given: it is backed up whole.</summary>
    public bool IsTarget { get; private set; }

    public static TargetTree Build(IReadOnlyList<string> paths, string workingDirectory)
    {
        var root = new TargetTree { FsPath = RawPath.FromString("/") };
        foreach (var given in paths)
        {
            var absolute = Path.TrimEndingDirectorySeparator(Path.GetFullPath(given, workingDirectory));
            var components = Path.IsPathRooted(given) ? [.. absolute.Split('/', StringSplitOptions.RemoveEmptyEntries)] : RelativeComponents(given);
            if (components.Count == 0)
            {
                // "/", or a relative path that cleans to "." or to ".." only: its contents form the root, as in restic.
                root.FsPath = RawPath.FromString(absolute);
                root.IsTarget = true;
                continue;
            }

            // The components are the last ones of the absolute path: "../../x/y" in /a/b/c is /a/x/y, stored as x/y.
            var node = root;
            for (var i = 0; i < components.Count; i++)
            {
                var key = Encoding.UTF8.GetBytes(components[i]);
                if (!node.Children.TryGetValue(key, out var child))
                {
                    child = new TargetTree { FsPath = RawPath.FromString(Ancestor(absolute, components.Count - 1 - i)) };
                    node.Children[key] = child;
                }

                node = child;
            }

            node.IsTarget = true;
        }

        return root;
    }

    /// <summary>restic's layout of a relative path: cleaned lexically, then any leading ".." dropped.</summary>
    private static List<string> RelativeComponents(string path)
    {
        var parts = new List<string>();
        foreach (var part in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (part == ".")
            {
                continue;
            }

            if (part == ".." && parts.Count > 0 && parts[^1] != "..")
            {
                parts.RemoveAt(parts.Count - 1);
                continue;
            }

            parts.Add(part);
        }

        return [.. parts.SkipWhile(p => p == "..")];
    }

    private static string Ancestor(string path, int levels)
    {
        for (var i = 0; i < levels; i++)
        {
            path = Path.GetDirectoryName(path) ?? "/";
        }

        return path;
    }

    internal sealed class ByteOrder : IComparer<byte[]>
    {
        public static readonly ByteOrder Instance = new();

        public int Compare(byte[]? x, byte[]? y) => x.AsSpan().SequenceCompareTo(y);
    }
}
