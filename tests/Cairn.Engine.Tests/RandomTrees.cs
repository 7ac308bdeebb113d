using Cairn.Testing.Trees;
using Cairn.Platform;
using FsCheck;
using FsCheck.Fluent;

namespace Cairn.Engine.Tests;

/// <summary>A randomly drawn entry of a test tree; folders hold children, files a seed for their bytes.</summary>
public sealed record RandomEntry(byte[] Name, FileKind Kind, EntryMetadata Metadata, int Size, int Seed, byte[] LinkTarget, IReadOnlyList<RandomEntry> Children)
{
    public override string ToString() => Describe(0);

    private string Describe(int depth) =>
        $"{new string(' ', depth * 2)}{RawPath.Display(Name)} {Kind} 0{Convert.ToString(Metadata.Permissions, 8)} {Metadata.Uid}:{Metadata.Gid} {Metadata.ModifyTime} size={Size} xattrs={Metadata.Xattrs.Count}"
        + string.Concat(Children.Select(c => "\n" + c.Describe(depth + 1)));
}

/// <summary>
/// Generators for random trees: any name bytes but '/' and NUL, any permission bits, owners, times and sizes;
/// user xattrs on files and folders (Linux allows them nowhere else).
/// </summary>
public static class RandomTrees
{
    private static readonly uint[] Ids = [0, 1, 1234, 65534, 100_000];

    public static Arbitrary<RandomEntry> Arbitrary() => Folder(Name, depth: 0).ToArbitrary();

    /// <summary>Writes the tree with <paramref name="root"/>'s metadata at <paramref name="path"/>.</summary>
    public static void Write(RandomEntry root, RawPath path)
    {
        var tree = new TreeBuilder(path, root.Metadata);
        WriteChildren(tree, root, path);
        tree.Finish();
    }

    private static void WriteChildren(TreeBuilder tree, RandomEntry folder, RawPath path)
    {
        foreach (var entry in folder.Children)
        {
            var child = path.Join(entry.Name);
            switch (entry.Kind)
            {
                case FileKind.Directory:
                    tree.Directory(child, entry.Metadata);
                    WriteChildren(tree, entry, child);
                    break;
                case FileKind.File:
                    var bytes = new byte[entry.Size];
                    new Random(entry.Seed).NextBytes(bytes);
                    tree.File(child, bytes, entry.Metadata);
                    break;
                case FileKind.Symlink:
                    tree.Symlink(child, entry.LinkTarget, entry.Metadata);
                    break;
                default:
                    tree.Fifo(child, entry.Metadata);
                    break;
            }
        }
    }

    private static Gen<byte[]> Name =>
        Gen.Frequency(
            (8, Gen.Choose(1, 24)),
            (1, Gen.Constant(255)))
        .SelectMany(length => Gen.ArrayOf(Gen.Choose(1, 255).Where(b => b != '/').Select(b => (byte)b), length))
        .Where(name => !name.AsSpan().SequenceEqual("."u8) && !name.AsSpan().SequenceEqual(".."u8));

    private static Gen<EntryMetadata> Metadata(FileKind kind) =>
        from permissions in Gen.Choose(0, 0xFFF)
        from uid in Gen.Elements(Ids)
        from gid in Gen.Elements(Ids)
        from seconds in Gen.Choose(-1_000_000_000, 2_000_000_000)
        from nanoseconds in Gen.Choose(0, 999_999_999)
        from xattrs in kind is not (FileKind.File or FileKind.Directory) ? Gen.Constant(Array.Empty<(string, byte[])>()) : Xattrs
        select new EntryMetadata
        {
            Permissions = (uint)permissions,
            Uid = uid,
            Gid = gid,
            ModifyTime = new Timestamp(seconds * 2L, (uint)nanoseconds),
            Xattrs = xattrs,
        };

    private static Gen<(string, byte[])[]> Xattrs =>
        Gen.Choose(0, 2).SelectMany(count => Gen.ArrayOf(Xattr, count)).Select(list => list.DistinctBy(x => x.Item1).ToArray());

    private static Gen<(string, byte[])> Xattr =>
        from suffix in Gen.Elements("a", "b", "note", "x.y")
        from value in Gen.Choose(0, 64).SelectMany(n => Gen.ArrayOf(Gen.Choose(0, 255).Select(b => (byte)b), n))
        select ("user." + suffix, value);

    private static Gen<RandomEntry> Folder(Gen<byte[]> name, int depth) =>
        from folderName in name
        from metadata in Metadata(FileKind.Directory)
        from count in Gen.Choose(0, depth == 0 ? 6 : 4)
        from children in Gen.ArrayOf(Entry(depth + 1), count)
        select new RandomEntry(folderName, FileKind.Directory, metadata, 0, 0, [], [.. children.DistinctBy(c => Convert.ToBase64String(c.Name))]);

    // Folders stop at depth 3, so the generator itself is finite.
    private static Gen<RandomEntry> Entry(int depth) => depth < 3
        ? Gen.Frequency((6, File), (2, Folder(Name, depth)), (1, Symlink), (1, Fifo))
        : Gen.Frequency((6, File), (1, Symlink), (1, Fifo));

    private static Gen<RandomEntry> File =>
        from name in Name
        from metadata in Metadata(FileKind.File)
        from size in Gen.Frequency((4, Gen.Choose(0, 2000)), (1, Gen.Choose(2000, 300_000)))
        from seed in Gen.Choose(0, int.MaxValue)
        select new RandomEntry(name, FileKind.File, metadata, size, seed, [], []);

    private static Gen<RandomEntry> Symlink =>
        from name in Name
        from metadata in Metadata(FileKind.Symlink)
        from target in Gen.Choose(1, 40).SelectMany(n => Gen.ArrayOf(Gen.Choose(1, 255).Select(b => (byte)b), n))
        select new RandomEntry(name, FileKind.Symlink, metadata, 0, 0, target, []);

    private static Gen<RandomEntry> Fifo =>
        from name in Name
        from metadata in Metadata(FileKind.Fifo)
        select new RandomEntry(name, FileKind.Fifo, metadata, 0, 0, [], []);
}
