using System.Buffers.Binary;
using Cairn.Repository.Format;

namespace Cairn.Repository.Internal.Format;

/// <summary>
/// The plaintext pack header: per blob a type byte (0 data, 1 tree, 2 compressed data, 3 compressed tree), the stored
/// length, for compressed blobs the plaintext length, and the plaintext SHA-256, all integers little-endian.
/// </summary>
public static class PackHeader
{
    /// <summary>Type byte + stored length + ID.</summary>
    public const int PlainEntrySize = 1 + 4 + Id.Size;

    /// <summary>Type byte + stored length + plaintext length + ID.</summary>
    public const int CompressedEntrySize = 1 + 4 + 4 + Id.Size;

    /// <summary>The trailing little-endian length of the encrypted header.</summary>
    public const int LengthFieldSize = 4;

    /// <summary>Bytes one entry takes in the header.</summary>
    public static int EntrySize(PackEntry e) => e.UncompressedLength != 0 ? CompressedEntrySize : PlainEntrySize;

    /// <summary>Encodes the plaintext header of a pack.</summary>
    public static byte[] Encode(IReadOnlyList<PackEntry> entries)
    {
        var size = 0;
        foreach (var e in entries)
        {
            size += EntrySize(e);
        }

        var header = new byte[size];
        var pos = 0;
        foreach (var e in entries)
        {
            var compressed = e.UncompressedLength != 0;
            header[pos++] = (byte)((byte)e.Type | (compressed ? 2 : 0));
            BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(pos), e.Length);
            pos += 4;
            if (compressed)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(pos), e.UncompressedLength);
                pos += 4;
            }

            e.Id.CopyTo(header.AsSpan(pos));
            pos += Id.Size;
        }

        return header;
    }

    /// <summary>Parses a decrypted header; offsets are computed from the lengths, blobs being stored back to back from 0.</summary>
    public static List<PackEntry> Decode(ReadOnlySpan<byte> header)
    {
        var entries = new List<PackEntry>(header.Length / PlainEntrySize);
        var pos = 0;
        uint offset = 0;
        while (pos < header.Length)
        {
            var typeByte = header[pos++];
            if (typeByte > 3)
            {
                throw new FormatException($"invalid blob type {typeByte} in pack header");
            }

            var compressed = (typeByte & 2) != 0;
            var need = (compressed ? 8 : 4) + Id.Size;
            if (header.Length - pos < need)
            {
                throw new FormatException("truncated pack header entry");
            }

            var length = BinaryPrimitives.ReadUInt32LittleEndian(header[pos..]);
            pos += 4;
            uint plain = 0;
            if (compressed)
            {
                plain = BinaryPrimitives.ReadUInt32LittleEndian(header[pos..]);
                pos += 4;
            }

            var id = new Id(header.Slice(pos, Id.Size));
            pos += Id.Size;
            entries.Add(new PackEntry((BlobType)(typeByte & 1), id, offset, length, plain));
            offset = checked(offset + length);
        }

        return entries;
    }
}
