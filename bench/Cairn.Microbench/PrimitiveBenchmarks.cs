using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using Cairn.Repository.Chunking;
using Cairn.Repository.Crypto;
using Cairn.Repository.Format;
using Cairn.Repository.Internal.Chunking;
using Cairn.Repository.Internal.Crypto;
using Cairn.Repository.Internal.Format;

namespace Cairn.Microbench;

/// <summary>The per-byte primitives of the backup pipeline, single-threaded, each on the input size it sees in use.</summary>
public class PrimitiveBenchmarks
{
    private const int Large = 64 * SampleData.MiB;
    private const int Chunk = SampleData.MiB;

    private byte[] _large = [];
    private byte[] _largeCopy = [];
    private byte[] _random = [];
    private byte[] _text = [];
    private byte[] _output = [];
    private readonly byte[] _key = new byte[32];
    private readonly byte[] _iv = new byte[16];
    private readonly byte[] _digest = new byte[32];
    private Chunker _chunker = null!;

    [GlobalSetup]
    public void Setup()
    {
        _large = SampleData.Random(Large, 1);
        _largeCopy = new byte[Large];
        _random = SampleData.Random(Chunk, 2);
        _text = SampleData.Text(Chunk, 3);
        _output = new byte[Zstd.MaxCompressedLength(Chunk) + 64];
        SampleData.Random(32, 4).CopyTo(_key, 0);
        SampleData.Random(16, 5).CopyTo(_iv, 0);
        _chunker = new Chunker(Polynomial.RandomIrreducible(new Random(6)));
    }

    [Benchmark(Description = "memcpy 64 MiB (Span.CopyTo)")]
    [Measures(Large, MachineLimits.Memcpy)]
    public void Memcpy() => _large.AsSpan().CopyTo(_largeCopy);

    [Benchmark(Description = "chunker 64 MiB (FindBoundary)")]
    [Measures(Large, MachineLimits.Memcpy)]
    public int ChunkerFindBoundary()
    {
        var data = _large.AsSpan();
        var chunks = 0;
        while (!data.IsEmpty)
        {
            var length = _chunker.FindBoundary(data, isFinal: true);
            data = data[length..];
            chunks++;
        }

        return chunks;
    }

    [Benchmark(Description = "SHA-256 1 MiB (SHA256.HashData)")]
    [Measures(Chunk, MachineLimits.OpensslSha256)]
    public void Sha256() => SHA256.HashData(_random, _digest);

    [Benchmark(Description = "AES-256-CTR 1 MiB (AesCtr.Transform)")]
    [Measures(Chunk, MachineLimits.OpensslAesCtr)]
    public void AesCtrTransform() => AesCtr.Transform(_key, _iv, _random, _output.AsSpan(0, Chunk));

    [Benchmark(Description = "Poly1305-AES 1 MiB (Poly1305Aes.ComputeMac)")]
    [Measures(Chunk, MachineLimits.OpensslPoly1305)]
    public void Poly1305() => Poly1305Aes.ComputeMac(_key.AsSpan(0, 16), _key.AsSpan(16, 16), _iv, _random, _digest.AsSpan(0, 16));

    [Benchmark(Description = "zstd auto (level 3) 1 MiB text")]
    [Measures(Chunk, MachineLimits.ZstdAutoText)]
    public int ZstdAutoText() => Zstd.Compress(_text, _output, CompressionMode.Auto);

    [Benchmark(Description = "zstd auto (level 3) 1 MiB random")]
    [Measures(Chunk, MachineLimits.ZstdAutoRandom)]
    public int ZstdAutoRandom() => Zstd.Compress(_random, _output, CompressionMode.Auto);

    [Benchmark(Description = "zstd max (level 15) 1 MiB text")]
    [Measures(Chunk, MachineLimits.ZstdMaxText)]
    public int ZstdMaxText() => Zstd.Compress(_text, _output, CompressionMode.Max);

    [Benchmark(Description = "zstd max (level 15) 1 MiB random")]
    [Measures(Chunk, MachineLimits.ZstdMaxRandom)]
    public int ZstdMaxRandom() => Zstd.Compress(_random, _output, CompressionMode.Max);
}
