namespace Cairn.Repository.Format;

/// <summary>Data blobs hold file content, tree blobs directory listings; they never share a pack (docs/format.md, "Packs").</summary>
public enum BlobType : byte
{
    Data = 0,
    Tree = 1,
}

public static class BlobTypes
{
    public static string ToJsonName(this BlobType type) => type == BlobType.Tree ? "tree" : "data";

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
    public bool IsCompressed => UncompressedLength != 0;

    /// <summary>Plaintext length: the uncompressed length, or the stored length minus the crypto overhead.</summary>
    public uint PlaintextLength => IsCompressed ? UncompressedLength : Length - 32;
}
