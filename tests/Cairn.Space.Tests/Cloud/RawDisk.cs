using System.Security.Cryptography;
using System.Text;
using Cairn.Platform;

namespace Cairn.Space.Tests.Cloud;

/// <summary>
/// A tree described on raw byte names (Latin-1 keys, so names that are not UTF-8 stay exact): kind, permissions,
/// owner, mtime, content hash, link target bytes and hard-link groups (named by the group's first path).
/// </summary>
public static class RawDisk
{
    public static List<(string Path, FileStatus Status)> Walk(string root)
    {
        var entries = new List<(string, FileStatus)>();
        void Visit(RawPath folder, string shown)
        {
            foreach (var entry in PosixFileSystem.ListDirectory(folder).OrderBy(e => Encoding.Latin1.GetString(e.Name), StringComparer.Ordinal))
            {
                var path = folder.Join(entry.Name);
                var child = shown + "/" + Encoding.Latin1.GetString(entry.Name);
                var status = PosixFileSystem.LStat(path);
                entries.Add((child, status));
                if (status.Kind == FileKind.Directory)
                {
                    Visit(path, child);
                }
            }
        }

        Visit(RawPath.FromString(root), "");
        return entries;
    }

    /// <param name="owner">The owner every entry is expected to have instead of its own (a restore for someone else applies none).</param>
    /// <param name="permissionMask">The permission bits kept (links keep theirs).</param>
    public static SortedDictionary<string, string> Describe(string root, (uint Uid, uint Gid)? owner = null, uint permissionMask = 0xFFF)
    {
        var described = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var groups = new Dictionary<(ulong, ulong), string>();
        var top = RawPath.FromString(root);
        foreach (var (path, status) in Walk(root))
        {
            var full = Join(top, path);
            var detail = status.Kind switch
            {
                FileKind.File => $"sha256={Hash(full)}",
                FileKind.Symlink => $"target={Convert.ToHexStringLower(PosixFileSystem.ReadLink(full))}",
                _ => "",
            };
            if (status.Kind == FileKind.File && status.Links > 1)
            {
                detail += " group=" + (groups.TryGetValue((status.DeviceId, status.Inode), out var first) ? first : groups[(status.DeviceId, status.Inode)] = path);
            }

            var permissions = status.Kind == FileKind.Symlink ? status.Permissions : status.Permissions & permissionMask;
            var (uid, gid) = owner ?? (status.Uid, status.Gid);
            var mtime = status.Kind == FileKind.Directory ? "" : $" mtime={status.ModifyTime}";
            described[path] = $"{status.Kind} {Convert.ToString(permissions, 8)} {uid}:{gid}{mtime} {detail}";
        }

        return described;
    }

    /// <summary>The bytes of the dangling symlink's target in <see cref="MakeOddTree"/> (not UTF-8).</summary>
    public static readonly byte[] OddTarget = [.. "to-"u8, 0x80, .. "-nowhere"u8];

    /// <summary>
    /// A tree in a new folder under <paramref name="parent"/> of names that are not UTF-8 (a file, a folder, a link
    /// target), symlinks (one dangling, one into the odd folder) and hard links.
    /// </summary>
    public static string MakeOddTree(string parent)
    {
        var source = Infrastructure.Trees.NewTemp(parent);
        var root = RawPath.FromString(source);
        byte[] oddName = [.. "not-utf8-"u8, 0xff, 0xfe, .. ".txt"u8];
        byte[] oddFolder = [.. "folder-"u8, 0xc3, 0x28];
        Write(root.Join(oddName), "odd name"u8);
        PosixFileSystem.CreateDirectory(root.Join(oddFolder), 0x1ED);
        Write(root.Join(oddFolder).Join(oddName), new byte[200_000]);
        Write(root.Join("plain.txt"u8), "plain"u8);
        PosixFileSystem.CreateSymlink(OddTarget, root.Join("dangling-odd"u8));
        PosixFileSystem.CreateSymlink([.. oddFolder, (byte)'/', .. oddName], root.Join("into-odd"u8));
        PosixFileSystem.CreateHardLink(root.Join("plain.txt"u8), root.Join(oddFolder).Join("hard-plain"u8));
        PosixFileSystem.CreateHardLink(root.Join(oddName), root.Join("hard-odd"u8));
        return source;
    }

    private static void Write(RawPath path, ReadOnlySpan<byte> content)
    {
        using var handle = PosixFileSystem.CreateFile(path, 0x1A4);
        RandomAccess.Write(handle, content, 0);
    }

    private static string Hash(RawPath file)
    {
        using var handle = PosixFileSystem.OpenRead(file);
        var content = new byte[RandomAccess.GetLength(handle)];
        var read = 0;
        while (read < content.Length)
        {
            read += RandomAccess.Read(handle, content.AsSpan(read), read);
        }

        return Convert.ToHexStringLower(SHA256.HashData(content));
    }

    private static RawPath Join(RawPath top, string latin1Path) =>
        latin1Path.Split('/', StringSplitOptions.RemoveEmptyEntries).Aggregate(top, (path, name) => path.Join(Encoding.Latin1.GetBytes(name)));
}
