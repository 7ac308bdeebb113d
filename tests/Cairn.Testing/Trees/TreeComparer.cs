using Cairn.Platform;

namespace Cairn.Testing.Trees;

/// <summary>
/// Compares two trees on disk through lstat: kind, permissions, owner, size, mtime to the nanosecond, link targets,
/// extended attributes, file bytes and which names are hard links of one another. Access and change times are
/// left out (reading and restoring change them). Every difference is reported with its path.
/// </summary>
public static class TreeComparer
{
    public static List<string> Differences(RawPath expected, RawPath actual)
    {
        var differences = new List<string>();
        var expectedLinks = new Dictionary<(ulong, ulong), List<string>>();
        var actualLinks = new Dictionary<(ulong, ulong), List<string>>();
        CompareEntry(expected, actual, ".", differences, expectedLinks, actualLinks);
        var expectedGroups = Groups(expectedLinks);
        var actualGroups = Groups(actualLinks);
        differences.AddRange(expectedGroups.Except(actualGroups).Select(g => $"hard link group [{g}] is missing"));
        differences.AddRange(actualGroups.Except(expectedGroups).Select(g => $"hard link group [{g}] is unexpected"));
        return differences;
    }

    private static HashSet<string> Groups(Dictionary<(ulong, ulong), List<string>> links) =>
        [.. links.Values.Select(paths => string.Join(", ", paths.Order(StringComparer.Ordinal)))];

    private static void CompareEntry(
        RawPath expected,
        RawPath actual,
        string shown,
        List<string> differences,
        Dictionary<(ulong, ulong), List<string>> expectedLinks,
        Dictionary<(ulong, ulong), List<string>> actualLinks)
    {
        var e = PosixFileSystem.LStat(expected);
        var a = PosixFileSystem.LStat(actual);
        void Check<T>(string what, T wanted, T got)
        {
            if (!EqualityComparer<T>.Default.Equals(wanted, got))
            {
                differences.Add($"{shown}: {what} is {got}, expected {wanted}");
            }
        }

        Check("kind", e.Kind, a.Kind);
        if (e.Kind != a.Kind)
        {
            return;
        }

        Check("permissions", Octal(e.Permissions), Octal(a.Permissions));
        Check("uid", e.Uid, a.Uid);
        Check("gid", e.Gid, a.Gid);
        Check("mtime", e.ModifyTime, a.ModifyTime);
        Check("extended attributes", Xattrs(expected), Xattrs(actual));
        if (e.Kind != FileKind.Directory)
        {
            Check("size", e.Size, a.Size);
            Check("link count", e.Links, a.Links);
            if (e.Links > 1)
            {
                Remember(expectedLinks, e, shown);
                Remember(actualLinks, a, shown);
            }
        }

        switch (e.Kind)
        {
            case FileKind.Symlink:
                Check("link target", RawPath.Display(PosixFileSystem.ReadLink(expected)), RawPath.Display(PosixFileSystem.ReadLink(actual)));
                break;
            case FileKind.File when e.Size == a.Size && !SameContent(expected, actual, e.Size):
                differences.Add($"{shown}: content differs");
                break;
            case FileKind.Directory:
                var expectedNames = PosixFileSystem.ReadDirectory(expected);
                var actualNames = PosixFileSystem.ReadDirectory(actual);
                var actualSet = actualNames.Select(Convert.ToBase64String).ToHashSet();
                var expectedSet = expectedNames.Select(Convert.ToBase64String).ToHashSet();
                foreach (var name in actualNames.Where(n => !expectedSet.Contains(Convert.ToBase64String(n))))
                {
                    differences.Add($"{Child(shown, name)}: unexpected entry");
                }

                foreach (var name in expectedNames)
                {
                    if (!actualSet.Contains(Convert.ToBase64String(name)))
                    {
                        differences.Add($"{Child(shown, name)}: missing");
                        continue;
                    }

                    CompareEntry(expected.Join(name), actual.Join(name), Child(shown, name), differences, expectedLinks, actualLinks);
                }

                break;
        }
    }

    private static string Child(string parent, byte[] name) => $"{parent}/{RawPath.Display(name)}";

    private static string Octal(uint permissions) => "0" + Convert.ToString(permissions, 8);

    private static void Remember(Dictionary<(ulong, ulong), List<string>> links, FileStatus status, string shown)
    {
        var key = (status.DeviceId, status.Inode);
        if (!links.TryGetValue(key, out var paths))
        {
            links[key] = paths = [];
        }

        paths.Add(shown);
    }

    private static string Xattrs(RawPath path) =>
        string.Join("; ", PosixFileSystem.ListXattrs(path).Select(x => $"{RawPath.Display(x.Name)}={Convert.ToHexString(x.Value)}"));

    private static bool SameContent(RawPath expected, RawPath actual, long size)
    {
        using var e = PosixFileSystem.OpenRead(expected);
        using var a = PosixFileSystem.OpenRead(actual);
        var left = new byte[1 << 20];
        var right = new byte[1 << 20];
        for (long offset = 0; offset < size;)
        {
            int n = RandomAccess.Read(e, left, offset);
            int m = RandomAccess.Read(a, right.AsSpan(0, n), offset);
            if (n == 0 || m != n || !left.AsSpan(0, n).SequenceEqual(right.AsSpan(0, n)))
            {
                return false;
            }

            offset += n;
        }

        return true;
    }
}
