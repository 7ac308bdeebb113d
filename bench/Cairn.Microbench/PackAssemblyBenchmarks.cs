using BenchmarkDotNet.Attributes;
using Cairn.Repository;
using Cairn.Repository.Format;
using Cairn.Storage;

namespace Cairn.Microbench;

/// <summary>
/// Pack assembly: 64 blobs of 1 MiB of corpus-like text through <see cref="PackAssembler.SaveAsync"/> (compress,
/// encrypt, MAC, append to packs) and a flush into an in-memory store. A fresh repository per iteration, so no blob is
/// deduplicated away; IDs are computed once in setup, as the hashing stage would.
/// </summary>
public class PackAssemblyBenchmarks
{
    private const int BlobCount = 64;

    private readonly List<(Id Id, byte[] Plaintext)> _blobs = [];
    private ResticRepository _repository = null!;

    [Params(CompressionMode.Off, CompressionMode.Auto)]
    public CompressionMode Mode { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        for (var i = 0; i < BlobCount; i++)
        {
            var plaintext = SampleData.Text(SampleData.MiB, 100 + (ulong)i);
            _blobs.Add((Id.Hash(plaintext), plaintext));
        }
    }

    [IterationSetup]
    public void CreateRepository() =>
        _repository = ResticRepository.InitAsync(new InMemoryObjectStore(), "pw", new RepositoryOptions { Kdf = KdfParameters.Fast, Compression = Mode })
            .GetAwaiter().GetResult();

    [IterationCleanup]
    public void DisposeRepository() => _repository.DisposeAsync().AsTask().GetAwaiter().GetResult();

    [Benchmark(Description = "pack assembly 64 x 1 MiB text (Blobs.SaveAsync + FlushAsync)")]
    [Measures(BlobCount * SampleData.MiB, MachineLimits.Memcpy)]
    public async Task SaveAndFlush()
    {
        foreach (var (id, plaintext) in _blobs)
        {
            await _repository.Blobs.SaveAsync(BlobType.Data, id, plaintext);
        }

        await _repository.Blobs.FlushAsync();
    }
}
