namespace Cairn.Repository.Format;

/// <summary>One header entry of a pack (docs/format.md, "Packs").</summary>
public readonly record struct PackEntry(BlobType Type, Id Id, uint Offset, uint Length, uint UncompressedLength);
