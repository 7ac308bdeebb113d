using System.Text;
using Cairn.Platform;

namespace Cairn.Testing.Trees;

/// <summary>
/// The source tree of issue 2, point 5, made through <see cref="PosixFileSystem"/>: an empty, a small and a
/// large (more than 8 MiB, many chunks) file, folders, symlinks (one dangling), hard links, setuid/setgid/sticky
/// and 0600/0755 modes, nanosecond mtimes, owners other than root, user xattrs, a fifo, and names with a space,
/// Unicode, a newline and bytes that are not UTF-8.
/// </summary>
public static class SampleSource
{
    public const int LargeFileSize = (9 * 1024 * 1024) + 12_345;

    public const uint ForeignUid = 1234;
    public const uint ForeignGid = 2345;

    public static readonly byte[] NewlineName = "new\nline"u8.ToArray();
    public static readonly byte[] NonUtf8Name = [.. "bad-"u8, 0xff, 0xfe, .. "-name"u8];
    public static readonly byte[] NonUtf8Directory = [.. "dir-"u8, 0xc3, 0x28];

    /// <summary>Builds the tree at <paramref name="root"/> (which must not exist) and returns how many regular file names it holds.</summary>
    /// <param name="root">Where the tree goes.</param>
    /// <param name="seed">Seeds every random byte, size step and time, so one seed always gives the same tree.</param>
    /// <param name="largeFileSize">The size of large.bin; tests that do not need point 5's many chunks make it small to save time.</param>
    public static int Build(RawPath root, int seed, int largeFileSize = LargeFileSize)
    {
        var random = new Random(seed);
        var time = new Timestamp(1_500_000_000, 0);
        EntryMetadata Meta(uint permissions, uint uid = 0, uint gid = 0, params (string, byte[])[] xattrs)
        {
            time = new Timestamp(time.Seconds + random.Next(1, 100_000), (uint)random.Next(1, 1_000_000_000));
            return new EntryMetadata { Permissions = permissions, Uid = uid, Gid = gid, ModifyTime = time, Xattrs = xattrs };
        }

        var tree = new TreeBuilder(root, Meta(0x1ED));
        var files = 0;
        RawPath File(RawPath path, byte[] content, EntryMetadata meta)
        {
            files++;
            return tree.File(path, content, meta);
        }

        File(tree.Path("empty"), [], Meta(0x1A4));
        File(tree.Path("small.txt"), "a small file\n"u8.ToArray(), Meta(0x180, ForeignUid, ForeignGid, ("user.comment", "kept by the snapshot"u8.ToArray()), ("user.binary", [0, 1, 2, 0xff])));
        File(tree.Path("large.bin"), RandomBytes(random, largeFileSize), Meta(0x1A4));
        File(tree.Path("run.sh"), "#!/bin/sh\necho hi\n"u8.ToArray(), Meta(0x1ED));
        File(tree.Path("setuid"), RandomBytes(random, 3000), Meta(0x9ED)); // 04755
        File(tree.Path("setgid"), RandomBytes(random, 10), Meta(0x5E8)); // 02750
        File(tree.Path("with space"), "spaced"u8.ToArray(), Meta(0x1A4));
        File(tree.Path("Grüße ☃ 日本.txt"), Encoding.UTF8.GetBytes("unicode ☃"), Meta(0x1A4));
        File(root.Join(NewlineName), "newline"u8.ToArray(), Meta(0x1A4));
        File(root.Join(NonUtf8Name), "not utf-8"u8.ToArray(), Meta(0x1A4, ForeignUid, 0));

        tree.Directory(tree.Path("sticky"), Meta(0x3FF)); // 01777
        File(tree.Path("sticky/inside"), RandomBytes(random, 70_000), Meta(0x1B4, 0, ForeignGid));

        var owned = tree.Directory(tree.Path("owned"), Meta(0x1E8, ForeignUid, ForeignGid, ("user.folder", "yes"u8.ToArray())));
        var nested = tree.Directory(owned.Join("nested"u8), Meta(0x1C0));
        var shared = File(nested.Join("shared"u8), RandomBytes(random, 200_000), Meta(0x1A4, ForeignUid, ForeignGid));
        tree.HardLink(shared, tree.Path("hardlink-to-shared"));
        tree.HardLink(shared, nested.Join("second-name"u8));
        files += 2;

        var odd = tree.Directory(root.Join(NonUtf8Directory), Meta(0x1ED));
        File(odd.Join(NewlineName), [], Meta(0x1A4));
        tree.Directory(tree.Path("empty-dir"), Meta(0x1ED));

        tree.Symlink(tree.Path("link-to-small"), "small.txt"u8.ToArray(), Meta(0, ForeignUid, ForeignGid));
        tree.Symlink(tree.Path("dangling"), "does/not/exist"u8.ToArray(), Meta(0));
        tree.Symlink(tree.Path("link-to-dir"), "owned/nested"u8.ToArray(), Meta(0));
        tree.Fifo(tree.Path("fifo"), Meta(0x1A0)); // 0640

        tree.Finish();
        return files;
    }

    private static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }
}
