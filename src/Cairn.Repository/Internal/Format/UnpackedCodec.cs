using System.Text.Json;
using Cairn.Repository.Format;

namespace Cairn.Repository.Internal.Format;

/// <summary>
/// The plaintext of index, snapshot and lock files (docs/format.md, "Unpacked files"): in version 2 a version byte 2
/// followed by zstd-compressed JSON; a first byte of '{' or '[' means plain JSON (version 1, and restic's config).
/// </summary>
public static class UnpackedCodec
{
    /// <summary>The leading byte of a compressed JSON file in format v2 (docs/format.md, "Unpacked files").</summary>
    public const byte CompressedJsonVersion = 2;

    /// <summary>The most bytes <see cref="EncodeInto"/> writes for a document of this length.</summary>
    public static int MaxEncodedLength(int jsonLength) => Math.Max(jsonLength, 1 + Zstd.MaxCompressedLength(jsonLength));

    /// <summary>Encodes into <paramref name="destination"/> (at least <see cref="MaxEncodedLength"/>); returns the bytes written.</summary>
    public static int EncodeInto(ReadOnlySpan<byte> json, int repositoryVersion, CompressionMode mode, Span<byte> destination)
    {
        if (repositoryVersion < 2 || mode == CompressionMode.Off)
        {
            json.CopyTo(destination);
            return json.Length;
        }

        destination[0] = CompressedJsonVersion;
        return 1 + Zstd.Compress(json, destination[1..], mode);
    }

    /// <summary>The JSON of a decrypted file, decompressed when it is.</summary>
    public static byte[] Decode(ReadOnlySpan<byte> plaintext)
    {
        if (plaintext.IsEmpty)
        {
            throw new JsonException("empty file");
        }

        return plaintext[0] switch
        {
            (byte)'{' or (byte)'[' => plaintext.ToArray(),
            CompressedJsonVersion => Zstd.Decompress(plaintext[1..]),
            var v => throw new FormatException($"unknown encoding version {v}"),
        };
    }
}
