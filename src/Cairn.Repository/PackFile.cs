using System.Buffers.Binary;
using Cairn.Repository.Crypto;
using Cairn.Repository.Format;
using Cairn.Repository.Internal.Format;
using Cairn.Storage;

namespace Cairn.Repository;

/// <summary>Reads what a pack says about itself: its header (docs/format.md, "Packs"), from the store or from its bytes.</summary>
public static class PackFile
{
    /// <summary>Largest header accepted: far beyond any real pack, small enough that a damaged length cannot exhaust memory.</summary>
    private const int MaxHeaderLength = 16 * 1024 * 1024;

    /// <summary>The size a pack must have for the blobs an index lists in it.</summary>
    public static long ExpectedSize(IEnumerable<BlobLocation> blobs)
    {
        long size = PackHeader.LengthFieldSize + CryptoKey.Overhead;
        foreach (var b in blobs)
        {
            size += b.Length + (b.IsCompressed ? PackHeader.CompressedEntrySize : PackHeader.PlainEntrySize);
        }

        return size;
    }

    /// <summary>Reads and decrypts a pack's header from its end (docs/format.md, "Packs").</summary>
    public static async Task<List<PackEntry>> ReadHeaderAsync(ResticRepository repository, Id pack, long size, CancellationToken cancellationToken = default)
    {
        var name = new ObjectName(ObjectKind.Pack, pack.ToString());
        var what = $"pack {pack}";
        if (size < PackHeader.LengthFieldSize + CryptoKey.Overhead)
        {
            throw new CorruptedDataException(what, $"only {size} bytes, too short for a pack");
        }

        var lengthField = new byte[PackHeader.LengthFieldSize];
        await repository.Store.ReadAtAsync(name, size - PackHeader.LengthFieldSize, lengthField, cancellationToken).ConfigureAwait(false);
        var headerLength = BinaryPrimitives.ReadUInt32LittleEndian(lengthField);
        if (headerLength < CryptoKey.Overhead || headerLength > MaxHeaderLength || headerLength > size - PackHeader.LengthFieldSize)
        {
            throw new CorruptedDataException(what, $"header length {headerLength} does not fit a pack of {size} bytes");
        }

        var sealedHeader = new byte[headerLength];
        await repository.Store.ReadAtAsync(name, size - PackHeader.LengthFieldSize - headerLength, sealedHeader, cancellationToken).ConfigureAwait(false);
        return DecodeHeader(repository, pack, sealedHeader, size - PackHeader.LengthFieldSize - headerLength);
    }

    /// <summary>Parses the header from a whole pack already in memory.</summary>
    public static List<PackEntry> ReadHeader(ResticRepository repository, Id pack, ReadOnlySpan<byte> bytes)
    {
        var what = $"pack {pack}";
        if (bytes.Length < PackHeader.LengthFieldSize + CryptoKey.Overhead)
        {
            throw new CorruptedDataException(what, $"only {bytes.Length} bytes, too short for a pack");
        }

        var headerLength = BinaryPrimitives.ReadUInt32LittleEndian(bytes[^PackHeader.LengthFieldSize..]);
        if (headerLength < CryptoKey.Overhead || headerLength > bytes.Length - PackHeader.LengthFieldSize)
        {
            throw new CorruptedDataException(what, $"header length {headerLength} does not fit a pack of {bytes.Length} bytes");
        }

        var start = bytes.Length - PackHeader.LengthFieldSize - (int)headerLength;
        return DecodeHeader(repository, pack, bytes.Slice(start, (int)headerLength), start);
    }

    private static List<PackEntry> DecodeHeader(ResticRepository repository, Id pack, ReadOnlySpan<byte> sealedHeader, long blobsEnd)
    {
        var what = $"pack {pack}";
        var header = ResticRepository.Decrypt(repository.Key, sealedHeader, what + " header");
        List<PackEntry> entries;
        try
        {
            entries = PackHeader.Decode(header);
        }
        catch (Exception e) when (e is FormatException or OverflowException)
        {
            throw new CorruptedDataException(what, "header: " + e.Message, e);
        }

        if (entries.Count > 0 && entries[^1].Offset + (long)entries[^1].Length != blobsEnd)
        {
            throw new CorruptedDataException(what, "header does not describe the blobs before it");
        }

        return entries;
    }
}
