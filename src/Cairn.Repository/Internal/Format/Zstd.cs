using System.Collections.Concurrent;
using Cairn.Repository.Format;
using ZstdNet;

namespace Cairn.Repository.Internal.Format;

/// <summary>
/// zstd for blobs and unpacked files (docs/format.md, "Compression"), through the native libzstd that ZstdNet ships
/// (several times faster than a managed port). Contexts are not thread-safe: each call takes one from a pool.
/// </summary>
public static class Zstd
{
    /// <summary>
    /// Level for <see cref="CompressionMode.Auto"/>: zstd's default level, as restic's auto (the klauspost/compress
    /// encoder's default speed, which that library matches to zstd's level 3). Before issue 18 this was level 1, which
    /// stored about 3.5% more than restic on text-heavy trees.
    /// </summary>
    public const int AutoLevel = 3;

    /// <summary>Level for <see cref="CompressionMode.Fastest"/>: zstd's fastest regular level (klauspost's fastest speed).</summary>
    public const int FastestLevel = 1;

    /// <summary>Level for <see cref="CompressionMode.Better"/>: klauspost's "better" speed is roughly zstd's level 7.</summary>
    public const int BetterLevel = 7;

    /// <summary>Level for <see cref="CompressionMode.Max"/>: above klauspost's best (roughly level 11), so never larger than restic's max.</summary>
    public const int MaxLevel = 15;

    // Contexts are pooled rather than per thread: async code hops threads, and each context holds megabytes.
    // One pool per level: a context is made for its level.
    private static readonly ConcurrentBag<Compressor>[] s_compressors = [[], [], [], [], []];
    private static readonly ConcurrentBag<Decompressor> s_decompressors = [];

    /// <summary>The most bytes zstd may write for <paramref name="length"/> input bytes.</summary>
    public static int MaxCompressedLength(int length) => Compressor.GetCompressBound(length);

    /// <summary>Compresses into <paramref name="destination"/> (at least <see cref="MaxCompressedLength"/>); returns the bytes written.</summary>
    public static int Compress(ReadOnlySpan<byte> source, Span<byte> destination, CompressionMode mode)
    {
        var bag = s_compressors[(int)mode];
        var compressor = bag.TryTake(out var pooled) ? pooled : new Compressor(new CompressionOptions(Level(mode)));
        try
        {
            return compressor.Wrap(source, destination);
        }
        finally
        {
            bag.Add(compressor);
        }
    }

    /// <summary>The zstd level a mode compresses at; <see cref="CompressionMode.Off"/> has none.</summary>
    public static int Level(CompressionMode mode) => mode switch
    {
        CompressionMode.Auto => AutoLevel,
        CompressionMode.Fastest => FastestLevel,
        CompressionMode.Better => BetterLevel,
        CompressionMode.Max => MaxLevel,
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "no zstd level for this mode"),
    };

    /// <summary>Compresses at the level of the mode.</summary>
    public static byte[] Compress(ReadOnlySpan<byte> source, CompressionMode mode)
    {
        var buffer = new byte[MaxCompressedLength(source.Length)];
        return buffer.AsSpan(0, Compress(source, buffer, mode)).ToArray();
    }

    /// <summary>Decompresses a frame whose plaintext length is known (blobs: from the index).</summary>
    public static int Decompress(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        var decompressor = s_decompressors.TryTake(out var pooled) ? pooled : new Decompressor();
        try
        {
            return decompressor.Unwrap(source, destination, bufferSizePrecheck: false);
        }
        finally
        {
            s_decompressors.Add(decompressor);
        }
    }

    /// <summary>Decompresses a frame of unknown plaintext length (unpacked files).</summary>
    public static byte[] Decompress(ReadOnlySpan<byte> source)
    {
        using var input = new MemoryStream(source.ToArray(), writable: false);
        using var stream = new DecompressionStream(input);
        using var output = new MemoryStream(source.Length * 4);
        stream.CopyTo(output);
        return output.ToArray();
    }
}
