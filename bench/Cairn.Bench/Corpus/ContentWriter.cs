using System.IO.Compression;
using Cairn.Repository.Format;
using Cairn.Repository.Internal.Format;
using CompressionMode = Cairn.Repository.Format.CompressionMode;

namespace Cairn.Bench.Corpus;

/// <summary>Writes a <see cref="FileSpec"/>'s bytes: its kind's endless stream from its seed, cut at its size.</summary>
internal static class ContentWriter
{
    private const int BufferSize = 256 * 1024;

    public static void Write(FileSpec spec, Stream stream)
    {
        var sink = new BoundedSink(stream, spec.Size);
        Produce(spec, sink);
    }

    private static void Produce(FileSpec spec, BoundedSink sink)
    {
        var rng = new Xoshiro256StarStar(spec.Seed);
        switch (spec.Kind)
        {
            case ContentKind.Random:
                var random = new byte[(int)Math.Min(BufferSize, Math.Max(sink.Remaining, 8))];
                while (!sink.Full)
                {
                    rng.Fill(random);
                    sink.Write(random);
                }

                break;
            case ContentKind.Source:
                WriteText(sink, rng, static (r, b) => TextSynthesizer.FillSource(r, b));
                break;
            case ContentKind.Log:
                var clock = 1_700_000_000_000L + rng.Below(1_000_000_000);
                WriteText(sink, rng, (r, b) => TextSynthesizer.FillLog(r, b, ref clock));
                break;
            case ContentKind.GzipArchive or ContentKind.ZstdArchive:
                WriteArchive(sink, rng, spec.Kind == ContentKind.GzipArchive);
                break;
            case ContentKind.Blocks:
                WriteBlocks(sink, rng);
                break;
            case ContentKind.Copy:
                Produce(spec.Source!, sink);
                break;
            case ContentKind.Shifted:
                var prefix = new byte[spec.Prefix];
                rng.Fill(prefix);
                sink.Write(prefix);
                Produce(spec.Source!, sink);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(spec), spec.Kind, "unknown content kind");
        }
    }

    private static void WriteText(BoundedSink sink, Xoshiro256StarStar rng, Action<Xoshiro256StarStar, TextBuffer> fill)
    {
        var buffer = new TextBuffer((int)Math.Min(BufferSize, sink.Remaining) + TextSynthesizer.MaxLine);
        while (!sink.Full)
        {
            buffer.Clear();
            fill(rng, buffer);
            sink.Write(buffer.Written);
        }
    }

    /// <summary>Independently compressed 1 MiB blocks of CSV records, as rotated logs or exports look on disk.</summary>
    private static void WriteArchive(BoundedSink sink, Xoshiro256StarStar rng, bool gzip)
    {
        var text = new TextBuffer(1024 * 1024);
        using var compressed = new MemoryStream();
        while (!sink.Full)
        {
            text.Clear();
            TextSynthesizer.FillRecords(rng, text);
            if (gzip)
            {
                compressed.SetLength(0);
                using (var zip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
                {
                    zip.Write(text.Written);
                }

                sink.Write(compressed.GetBuffer().AsSpan(0, (int)compressed.Length));
            }
            else
            {
                sink.Write(Zstd.Compress(text.Written, CompressionMode.Fastest)); // level 1, as before issue 18, so the corpus stays the same bytes
            }
        }
    }

    /// <summary>A disk image: 1-4 MiB segments that are zeros, a repeat of the last random segment, or new random bytes.</summary>
    private static void WriteBlocks(BoundedSink sink, Xoshiro256StarStar rng)
    {
        var zeros = new byte[BufferSize];
        byte[]? last = null;
        while (!sink.Full)
        {
            var length = (int)rng.Between(1024 * 1024, 4 * 1024 * 1024);
            var choice = rng.Below(10);
            if (choice < 4)
            {
                for (var left = length; left > 0 && !sink.Full; left -= zeros.Length)
                {
                    sink.Write(zeros.AsSpan(0, Math.Min(left, zeros.Length)));
                }
            }
            else if (choice < 7 && last is not null)
            {
                sink.Write(last);
            }
            else
            {
                last = new byte[(int)Math.Min(length, Math.Max(sink.Remaining, 8))];
                rng.Fill(last);
                sink.Write(last);
            }
        }
    }

    /// <summary>Passes bytes on until the file's size is reached, then drops the rest.</summary>
    private sealed class BoundedSink(Stream stream, long size)
    {
        public long Remaining { get; private set; } = size;

        public bool Full => Remaining == 0;

        public void Write(ReadOnlySpan<byte> bytes)
        {
            var take = (int)Math.Min(bytes.Length, Remaining);
            stream.Write(bytes[..take]);
            Remaining -= take;
        }
    }
}
