using System.Security.Cryptography;

namespace Cairn.Robustness.Tests.Infrastructure;

/// <summary>
/// A folder of random files that changes between snapshots (files rewritten, added, removed, links made), and the
/// exact description of each state it was backed up in: what a restore of that snapshot must give back.
/// </summary>
public sealed class SourceTree(string root, Random random)
{
    private int _counter;

    public string Root { get; } = root;

    /// <summary>Fills the folder: a few subfolders, small and large random files, a symlink.</summary>
    public void Create(int files, int largeBytes)
    {
        Directory.CreateDirectory(Root);
        for (var i = 0; i < files; i++)
        {
            WriteNewFile(i % 7 == 0 ? largeBytes : random.Next(0, 64 * 1024));
        }

        File.CreateSymbolicLink(Path.Combine(Root, "link-" + _counter++), "does/not/need/to/exist");
    }

    /// <summary>Rewrites some files, adds some and removes some: a new state for the next snapshot.</summary>
    public void Change(int largeBytes)
    {
        var existing = Directory.GetFiles(Root, "*", SearchOption.AllDirectories).Where(f => !IsLink(f)).ToList();
        foreach (var file in existing.OrderBy(_ => random.Next()).Take(Math.Max(1, existing.Count / 8)))
        {
            File.WriteAllBytes(file, RandomBytes(random.Next(0, 96 * 1024)));
        }

        foreach (var file in existing.OrderBy(_ => random.Next()).Take(existing.Count / 12))
        {
            File.Delete(file);
        }

        for (var i = 0; i < 4; i++)
        {
            WriteNewFile(i == 0 ? largeBytes : random.Next(0, 64 * 1024));
        }
    }

    /// <summary>The tree as it is now: relative path to what it must be after a restore.</summary>
    public SortedDictionary<string, string> Describe() => Describe(Root);

    public static SortedDictionary<string, string> Describe(string root)
    {
        var entries = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var path in Directory.EnumerateFileSystemEntries(root, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(root, path);
            var info = new FileInfo(path);
            if (info.LinkTarget is { } target)
            {
                entries[relative] = "link " + target;
            }
            else if (Directory.Exists(path))
            {
                entries[relative] = $"dir {Mode(path)}";
            }
            else
            {
                using var stream = File.OpenRead(path);
                entries[relative] = $"file {Mode(path)} {info.Length} {Convert.ToHexStringLower(SHA256.HashData(stream))}";
            }
        }

        return entries;
    }

    /// <summary>Lines naming what differs between an expected and an actual description; empty when equal.</summary>
    public static List<string> Differences(IReadOnlyDictionary<string, string> expected, IReadOnlyDictionary<string, string> actual)
    {
        var differences = new List<string>();
        foreach (var (path, want) in expected)
        {
            if (!actual.TryGetValue(path, out var got))
            {
                differences.Add($"missing {path} ({want})");
            }
            else if (got != want)
            {
                differences.Add($"differs {path}: want {want}, got {got}");
            }
        }

        differences.AddRange(actual.Keys.Where(p => !expected.ContainsKey(p)).Select(p => $"unexpected {p}"));
        return differences;
    }

    private void WriteNewFile(int length)
    {
        var folder = Path.Combine(Root, "d" + random.Next(0, 5), "e" + random.Next(0, 3));
        Directory.CreateDirectory(folder);
        File.WriteAllBytes(Path.Combine(folder, $"f{_counter++}.bin"), RandomBytes(length));
    }

    private byte[] RandomBytes(int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        // Half the files repeat a block, so chunks are shared and compression has something to do.
        if (length > 8192 && random.Next(2) == 0)
        {
            for (var i = 4096; i < length; i++)
            {
                bytes[i] = bytes[i % 4096];
            }
        }

        return bytes;
    }

    private static bool IsLink(string path) => new FileInfo(path).LinkTarget is not null;

    private static string Mode(string path) => Convert.ToString((int)File.GetUnixFileMode(path), 8);
}
