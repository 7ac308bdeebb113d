using System.Security.Cryptography;

namespace Cairn.Maintenance.Tests.Integrity;

/// <summary>Source folders to back up, copies of their versions, and a comparison by relative path and content hash.</summary>
internal static class TestTrees
{
    public static string NewTemp(string prefix)
    {
        var path = Path.Combine(Path.GetTempPath(), $"cairn-{prefix}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(path);
        return path;
    }

    /// <summary>Files of varied sizes (some across several chunks) from a seeded generator.</summary>
    public static void Fill(string root, int seed, int files, int maxBytes)
    {
        var random = new Random(seed);
        for (var i = 0; i < files; i++)
        {
            var dir = Path.Combine(root, $"d{i % 4}");
            Directory.CreateDirectory(dir);
            var bytes = new byte[random.Next(1, maxBytes)];
            random.NextBytes(bytes);
            File.WriteAllBytes(Path.Combine(dir, $"f{seed}-{i}.bin"), bytes);
        }
    }

    public static SortedDictionary<string, string> Contents(string root)
    {
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories))
        {
            result[Path.GetRelativePath(root, file)] = Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(file)));
        }

        return result;
    }

    public static void CopyTree(string from, string to)
    {
        foreach (var dir in Directory.EnumerateDirectories(from, "*", SearchOption.AllDirectories))
        {
            Directory.CreateDirectory(Path.Combine(to, Path.GetRelativePath(from, dir)));
        }

        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    /// <summary>Stored files are read-only (0400); tests that damage them make them writable first.</summary>
    public static void MakeWritable(string path) => File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);

    public static void Delete(params string[] paths)
    {
        foreach (var path in paths)
        {
            try
            {
                Directory.Delete(path, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
