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

    public static TargetTree Build(IReadOnlyList<RawPath> paths, string workingDirectory)
    {
        var root = new TargetTree { FsPath = RawPath.FromString("/") };
        foreach (var given in paths)
        {
            var absolute = SourcePath.Absolute(given, workingDirectory);
            var absoluteComponents = SourcePath.Components(absolute.Bytes);
            var components = given.IsAbsolute ? absoluteComponents : RelativeComponents(given);
            if (components.Count == 0)
            {
                // "/", or a relative path that cleans to "." or to ".." only: its contents form the root, as in restic.
                root.FsPath = absolute;
                root.IsTarget = true;
                continue;
            }

            // The components are the last ones of the absolute path: "../../x/y" in /a/b/c is /a/x/y, stored as x/y.
            var node = root;
            for (var i = 0; i < components.Count; i++)
            {
                var key = components[i];
                if (!node.Children.TryGetValue(key, out var child))
                {
                    var ancestor = absoluteComponents.Take(absoluteComponents.Count - (components.Count - 1 - i));
                    child = new TargetTree { FsPath = SourcePath.Join(ancestor) };
                    node.Children[key] = child;
                }

                node = child;
            }

            node.IsTarget = true;
        }

        return root;
    }

    /// <summary>restic's layout of a relative path: cleaned lexically, then any leading ".." dropped.</summary>
    private static List<byte[]> RelativeComponents(RawPath path)
    {
        var parts = new List<byte[]>();
        foreach (var part in SourcePath.Components(path.Bytes))
        {
            var isUp = part.AsSpan().SequenceEqual(".."u8);
            if (isUp && parts.Count > 0 && !parts[^1].AsSpan().SequenceEqual(".."u8))
            {
                parts.RemoveAt(parts.Count - 1);
                continue;
            }

            parts.Add(part);
        }

        return [.. parts.SkipWhile(p => p.AsSpan().SequenceEqual(".."u8))];
    }

    internal sealed class ByteOrder : IComparer<byte[]>
    {
        public static readonly ByteOrder Instance = new();

        public int Compare(byte[]? x, byte[]? y) => x.AsSpan().SequenceCompareTo(y);
    }
}
