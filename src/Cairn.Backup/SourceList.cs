using System.Text;
using Cairn.Platform;
using Cairn.Repository.Filtering;

namespace Cairn.Backup;

/// <summary>How a --files-from file is read.</summary>
public enum SourceListFormat
{
    /// <summary>--files-from: one path or glob a line; empty lines and lines starting with # are skipped.</summary>
    Patterns,

    /// <summary>--files-from-verbatim: one path a line, taken literally; only empty lines are skipped.</summary>
    Verbatim,

    /// <summary>--files-from-raw: paths separated by NUL bytes, taken literally.</summary>
    Raw,
}

/// <summary>Reads the backup paths a --files-from file lists, with restic's rules for each form.</summary>
public static class SourceList
{
    /// <summary>The paths the list names; <paramref name="unmatched"/> hears of each glob that matched nothing.</summary>
    public static List<RawPath> Read(ReadOnlySpan<byte> content, SourceListFormat format, Action<string>? unmatched = null)
    {
        var paths = new List<RawPath>();
        foreach (var item in Items(content, format))
        {
            if (format != SourceListFormat.Patterns)
            {
                paths.Add(new RawPath(item));
                continue;
            }

            if (item[0] == (byte)'#')
            {
                continue;
            }

            var expanded = Expand(new RawPath(item));
            if (expanded.Count == 0)
            {
                unmatched?.Invoke(Encoding.UTF8.GetString(item));
            }

            paths.AddRange(expanded);
        }

        return paths;
    }

    private static List<byte[]> Items(ReadOnlySpan<byte> content, SourceListFormat format)
    {
        var items = new List<byte[]>();
        var separator = format == SourceListFormat.Raw ? (byte)0 : (byte)'\n';
        foreach (var range in content.Split(separator))
        {
            var item = content[range];
            if (format != SourceListFormat.Raw && item.EndsWith("\r"u8))
            {
                // Lines may end in CRLF, as a text file written on Windows does.
                item = item[..^1];
            }

            if (!item.IsEmpty)
            {
                items.Add(item.ToArray());
            }
        }

        return items;
    }

    /// <summary>
    /// Go's filepath.Glob: a path without *, ?, [ or \ is returned if it exists; otherwise each component with one is
    /// matched against its folder's names (in byte order), and what matches and exists is returned.
    /// </summary>
    public static List<RawPath> Expand(RawPath pattern)
    {
        var bytes = pattern.Bytes;
        if (!HasMeta(bytes))
        {
            return PosixFileSystem.Exists(pattern) ? [pattern] : [];
        }

        var parts = new List<byte[]>();
        foreach (var range in bytes.Split((byte)'/'))
        {
            if (!bytes[range].IsEmpty)
            {
                parts.Add(bytes[range].ToArray());
            }
        }

        var found = new List<RawPath>();
        Walk(parts, 0, pattern.IsAbsolute ? "/"u8.ToArray() : [], found);
        return found;
    }

    private static bool HasMeta(ReadOnlySpan<byte> part) => part.IndexOfAny("*?[\\"u8) >= 0;

    private static byte[] Append(byte[] prefix, ReadOnlySpan<byte> name) =>
        prefix.Length == 0 ? name.ToArray() : prefix[^1] == (byte)'/' ? [.. prefix, .. name] : [.. prefix, (byte)'/', .. name];

    private static void Walk(List<byte[]> parts, int index, byte[] prefix, List<RawPath> found)
    {
        if (index == parts.Count)
        {
            var path = new RawPath(prefix);
            if (prefix.Length > 0 && PosixFileSystem.Exists(path))
            {
                found.Add(path);
            }

            return;
        }

        var part = parts[index];
        if (!HasMeta(part))
        {
            Walk(parts, index + 1, Append(prefix, part), found);
            return;
        }

        DirectoryEntry[] entries;
        try
        {
            entries = PosixFileSystem.ListDirectory(prefix.Length == 0 ? RawPath.FromString(".") : new RawPath(prefix));
        }
        catch (IOException)
        {
            return;
        }

        var glob = Encoding.UTF8.GetString(part);
        foreach (var entry in entries)
        {
            if (PathPatternSet.Glob(glob, Encoding.UTF8.GetString(entry.Name)))
            {
                Walk(parts, index + 1, Append(prefix, entry.Name), found);
            }
        }
    }
}
