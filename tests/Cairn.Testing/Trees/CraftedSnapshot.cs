using Cairn.Repository;
using Cairn.Repository.Format;
using Cairn.Repository.Internal.Format;
using Xunit;

namespace Cairn.Testing.Trees;

/// <summary>
/// Writes snapshots no honest backup makes (names such as "..", "a/b", "/etc" or a name twice) with the engine's
/// own format classes, to check that a restore refuses them.
/// </summary>
public static class CraftedSnapshot
{
    /// <summary>The ways a tree can try to escape the restore target, each as the entries of a root tree.</summary>
    public static readonly TheoryData<string> Cases = ["dot-dot", "slash-inside", "absolute", "dot", "empty", "twice", "nested-dot-dot"];

    /// <summary>Saves the case's trees, one file's data, the index and a snapshot; returns the snapshot ID.</summary>
    public static async Task<Id> SaveAsync(ResticRepository repository, string @case, CancellationToken cancellationToken)
    {
        var content = "written outside the target\n"u8.ToArray();
        var blob = Id.Hash(content);
        await repository.Blobs.SaveAsync(BlobType.Data, blob, content, cancellationToken);
        Node File(byte[] name) => new()
        {
            Name = name,
            Type = NodeType.File,
            Mode = 0x1A4,
            Size = (ulong)content.Length,
            Content = [blob],
        };

        List<Node> root = @case switch
        {
            "dot-dot" => [File(".."u8.ToArray())],
            "slash-inside" => [File("../../escaped"u8.ToArray())],
            "absolute" => [File("/tmp/cairn-crafted-absolute"u8.ToArray())],
            "dot" => [File("."u8.ToArray())],
            "empty" => [File([])],
            "twice" => [File("twice"u8.ToArray()), File("twice"u8.ToArray())],
            "nested-dot-dot" => [await DirectoryAsync(repository, "inner"u8.ToArray(), [File("ok"u8.ToArray()), File(".."u8.ToArray())], cancellationToken)],
            _ => throw new ArgumentOutOfRangeException(nameof(@case), @case, null),
        };

        var tree = await SaveTreeAsync(repository, root, cancellationToken);
        await repository.Blobs.FlushAsync(cancellationToken);
        return await repository.SaveSnapshotAsync(new Snapshot
        {
            Time = NodeTime.FromDateTimeOffset(DateTimeOffset.UtcNow),
            Tree = tree,
            Paths = ["/crafted"],
            Hostname = "crafted",
            Username = "crafted",
        }, cancellationToken);
    }

    private static async Task<Node> DirectoryAsync(ResticRepository repository, byte[] name, List<Node> children, CancellationToken cancellationToken) => new()
    {
        Name = name,
        Type = NodeType.Dir,
        Mode = GoFileMode(0x1ED),
        Subtree = await SaveTreeAsync(repository, children, cancellationToken),
    };

    private static uint GoFileMode(uint permissions) => Platform.GoFileMode.FromPosix(Platform.FileKind.Directory, permissions);

    private static async Task<Id> SaveTreeAsync(ResticRepository repository, List<Node> nodes, CancellationToken cancellationToken)
    {
        // Deliberately not sorted or deduplicated: the encoder writes what it is given.
        var bytes = TreeCodec.Encode(nodes);
        var id = Id.Hash(bytes);
        await repository.Blobs.SaveAsync(BlobType.Tree, id, bytes, cancellationToken);
        return id;
    }
}
