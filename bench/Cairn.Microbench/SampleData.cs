using Cairn.Bench.Corpus;

namespace Cairn.Microbench;

/// <summary>Inputs shared by the benchmarks: random bytes and corpus-like text, the same on every run.</summary>
internal static class SampleData
{
    public const int MiB = 1024 * 1024;

    public static byte[] Random(int length, ulong seed)
    {
        var bytes = new byte[length];
        new Xoshiro256StarStar(seed).Fill(bytes);
        return bytes;
    }

    /// <summary>Source-code-like text, as the corpus's src files hold.</summary>
    public static byte[] Text(int length, ulong seed)
    {
        var rng = new Xoshiro256StarStar(seed);
        var result = new byte[length];
        var buffer = new TextBuffer(64 * 1024 + TextSynthesizer.MaxLine);
        for (var filled = 0; filled < length;)
        {
            buffer.Clear();
            TextSynthesizer.FillSource(rng, buffer);
            var take = Math.Min(buffer.Position, length - filled);
            buffer.Written[..take].CopyTo(result.AsSpan(filled));
            filled += take;
        }

        return result;
    }
}
