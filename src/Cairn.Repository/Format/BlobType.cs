namespace Cairn.Repository.Format;

/// <summary>Data blobs hold file content, tree blobs directory listings; they never share a pack (docs/format.md, "Packs").</summary>
public enum BlobType : byte
{
    /// <summary>File content.</summary>
    Data = 0,
    /// <summary>A directory's tree (JSON list of nodes).</summary>
    Tree = 1,
}

/// <summary>The JSON names of blob types, as index files hold them.</summary>
public static class BlobTypes
{
    /// <summary><c>data</c> or <c>tree</c>.</summary>
    public static string ToJsonName(this BlobType type) => type == BlobType.Tree ? "tree" : "data";

    /// <summary>Parses <c>data</c> or <c>tree</c>; throws on anything else.</summary>
    public static BlobType Parse(string name) => name switch
    {
        "data" => BlobType.Data,
        "tree" => BlobType.Tree,
        _ => throw new FormatException($"unknown blob type '{name}'"),
    };
}

/// <summary>Where one blob lives: its pack and byte range, and its plaintext length (0 when not compressed).</summary>
public readonly record struct BlobLocation(Id Pack, BlobType Type, uint Offset, uint Length, uint UncompressedLength)
{
    /// <summary>Whether the blob is stored compressed (format v2, docs/format.md "Packs").</summary>
    public bool IsCompressed => UncompressedLength != 0;

    /// <summary>Plaintext length: the uncompressed length, or the stored length minus the crypto overhead.</summary>
    public uint PlaintextLength => IsCompressed ? UncompressedLength : Length - 32;
}
