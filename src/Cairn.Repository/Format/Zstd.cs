using System.Collections.Concurrent;
using ZstdNet;

namespace Cairn.Repository.Format;

/// <summary>
/// zstd for blobs and unpacked files (docs/format.md, "Compression"), through the native libzstd that ZstdNet ships
/// (several times faster than a managed port). Contexts are not thread-safe: each call takes one from a pool.
/// </summary>
public static class Zstd
{
    /// <summary>
    /// Level for <see cref="CompressionMode.Auto"/>: zstd's fastest regular level. restic's auto (the klauspost/compress
    /// encoder at its default speed) stores the same bytes as libzstd at this level on the benchmark corpus, and level 3
    /// costs about 15% more CPU for 1% fewer bytes (docs/performance.md).
    /// </summary>
    public const int AutoLevel = 1;

    /// <summary>Level for <see cref="CompressionMode.Max"/>.</summary>
    public const int MaxLevel = 15;

    // Contexts are pooled rather than per thread: async code hops threads, and each context holds megabytes.
    private static readonly ConcurrentBag<Compressor> s_auto = [];
    private static readonly ConcurrentBag<Compressor> s_max = [];
    private static readonly ConcurrentBag<Decompressor> s_decompressors = [];

    public static int MaxCompressedLength(int length) => Compressor.GetCompressBound(length);

    /// <summary>Compresses into <paramref name="destination"/> (at least <see cref="MaxCompressedLength"/>); returns the bytes written.</summary>
    public static int Compress(ReadOnlySpan<byte> source, Span<byte> destination, CompressionMode mode)
    {
        var (bag, level) = mode == CompressionMode.Max ? (s_max, MaxLevel) : (s_auto, AutoLevel);
        var compressor = bag.TryTake(out var pooled) ? pooled : new Compressor(new CompressionOptions(level));
        try
        {
            return compressor.Wrap(source, destination);
        }
        finally
        {
            bag.Add(compressor);
        }
    }

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
