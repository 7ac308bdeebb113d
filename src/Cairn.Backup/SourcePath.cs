using System.Text;
using Cairn.Platform;

namespace Cairn.Backup;

/// <summary>Backup paths as bytes: made absolute and cleaned lexically, so names that are not UTF-8 survive.</summary>
public static class SourcePath
{
    /// <summary>
    /// The path made absolute against <paramref name="workingDirectory"/> and cleaned as Path.GetFullPath cleans it
    /// ("." and ".." resolved without asking the disk, repeated and trailing slashes dropped).
    /// </summary>
    public static RawPath Absolute(RawPath path, string workingDirectory)
    {
        var components = new List<byte[]>();
        if (!path.IsAbsolute)
        {
            components.AddRange(Components(RawPath.FromString(workingDirectory).Bytes));
        }

        foreach (var part in Components(path.Bytes))
        {
            if (part.AsSpan().SequenceEqual(".."u8))
            {
                if (components.Count > 0)
                {
                    components.RemoveAt(components.Count - 1);
                }
            }
            else
            {
                components.Add(part);
            }
        }

        return Join(components);
    }

    /// <summary>The components of a path, without empty ones and ".".</summary>
    internal static List<byte[]> Components(ReadOnlySpan<byte> path)
    {
        var parts = new List<byte[]>();
        foreach (var range in path.Split((byte)'/'))
        {
            var part = path[range];
            if (!part.IsEmpty && !part.SequenceEqual("."u8))
            {
                parts.Add(part.ToArray());
            }
        }

        return parts;
    }

    internal static RawPath Join(IEnumerable<byte[]> components)
    {
        var joined = new List<byte>();
        foreach (var part in components)
        {
            joined.Add((byte)'/');
            joined.AddRange(part);
        }

        return joined.Count == 0 ? RawPath.FromString("/") : new RawPath(joined.ToArray());
    }

    /// <summary>
    /// The path as a snapshot records it: a JSON string, so bytes that are not UTF-8 become U+FFFD (as in restic,
    /// whose JSON encoder does the same).
    /// </summary>
    public static string ToSnapshotPath(RawPath absolute) => Encoding.UTF8.GetString(absolute.Bytes);
}
