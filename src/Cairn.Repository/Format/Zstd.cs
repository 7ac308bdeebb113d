using ZstdNet;

namespace Cairn.Repository.Format;

/// <summary>
/// zstd for blobs and unpacked files (docs/format.md, "Compression"), through the native libzstd that ZstdNet ships
/// (several times faster than a managed port). Contexts are not thread-safe, so one per thread.
/// </summary>
public static class Zstd
{
    /// <summary>Level for <see cref="CompressionMode.Auto"/>: zstd's default speed/ratio trade-off.</summary>
    public const int AutoLevel = 3;

    /// <summary>Level for <see cref="CompressionMode.Max"/>.</summary>
    public const int MaxLevel = 15;

    [ThreadStatic] private static Compressor? s_auto;
    [ThreadStatic] private static Compressor? s_max;
    [ThreadStatic] private static Decompressor? s_decompressor;

    private static Compressor For(CompressionMode mode) => mode == CompressionMode.Max
        ? s_max ??= new Compressor(new CompressionOptions(MaxLevel))
        : s_auto ??= new Compressor(new CompressionOptions(AutoLevel));

    public static int MaxCompressedLength(int length) => Compressor.GetCompressBound(length);

    /// <summary>Compresses into <paramref name="destination"/> (at least <see cref="MaxCompressedLength"/>); returns the bytes written.</summary>
    public static int Compress(ReadOnlySpan<byte> source, Span<byte> destination, CompressionMode mode) =>
        For(mode).Wrap(source, destination);

    public static byte[] Compress(ReadOnlySpan<byte> source, CompressionMode mode) => For(mode).Wrap(source);

    /// <summary>Decompresses a frame whose plaintext length is known (blobs: from the index).</summary>
    public static int Decompress(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        s_decompressor ??= new Decompressor();
        return s_decompressor.Unwrap(source, destination, bufferSizePrecheck: false);
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
