using System.Text.Json;
using Cairn.Repository.Chunking;
using Cairn.Repository.Internal.Chunking;
using Cairn.Repository.Tests.Crypto;
using Cairn.Testing.Trees;

namespace Cairn.Repository.Tests.Chunking;

/// <summary>restic 0.14 is the judge: a fresh repository, a fresh random file, and its chunk lengths must be ours.</summary>
public sealed class ResticChunkerInteropTests : IDisposable
{
    private const int MiB = 1024 * 1024;
    private readonly Scratch _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Cuts_a_fresh_random_file_where_restic_does()
    {
        var restic = new ResticCommand(Path.Combine(_directory.Path, "repo"), "interop");
        await restic.RunAsync("init");
        var polynomial = Polynomial.Parse(JsonDocument.Parse(await restic.RunAsync("cat", "config")).RootElement.GetProperty("chunker_polynomial").GetString()!);
        polynomial.Degree.Should().Be(53);
        polynomial.IsIrreducible().Should().BeTrue("restic only uses irreducible polynomials");

        var seed = (ulong)Random.Shared.NextInt64();
        var data = GenerateFile(seed);
        var source = Directory.CreateDirectory(Path.Combine(_directory.Path, "src")).FullName;
        var file = Path.Combine(source, "data.bin");
        await File.WriteAllBytesAsync(file, data, TestContext.Current.CancellationToken);

        var summary = (await restic.RunAsync("backup", "--json", "--compression", "off", source))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => JsonDocument.Parse(line).RootElement)
            .Single(message => message.GetProperty("message_type").GetString() == "summary");
        var snapshot = JsonDocument.Parse(await restic.RunAsync("cat", "snapshot", summary.GetProperty("snapshot_id").GetString()!)).RootElement;

        var content = await FileContentAsync(restic, snapshot.GetProperty("tree").GetString()!, file);
        var blobLengths = await BlobLengthsAsync(restic);
        var resticLengths = content.Select(id => blobLengths[id]).ToList();
        resticLengths.Sum().Should().Be(data.Length);
        resticLengths.Should().Contain(Chunker.MinSize).And.Contain(Chunker.MaxSize, "the zero run and the constant run reach both limits");

        var ours = new List<int>();
        var chunker = new Chunker(polynomial);
        for (var start = 0; start < data.Length;)
        {
            var length = chunker.FindBoundary(data.AsSpan(start), isFinal: true);
            ours.Add(length);
            start += length;
        }

        ours.Should().Equal(resticLengths, $"the file was generated from seed {seed} and chunked with polynomial {polynomial}");
    }

    /// <summary>Random data with a run of zeros (boundaries at the minimum size) and a constant run (cut at the maximum).</summary>
    private static byte[] GenerateFile(ulong seed)
    {
        var random = new SplitMix64(seed);
        var tail = (int)(random.Next() % (3 * MiB));
        var data = new byte[12 * MiB + MiB + 2 * MiB + 9 * MiB + tail];
        random.Fill(data.AsSpan(0, 12 * MiB));
        random.Fill(data.AsSpan(13 * MiB, 2 * MiB));
        data.AsSpan(15 * MiB, 9 * MiB).Fill((byte)(1 + random.Next() % 255));
        random.Fill(data.AsSpan(24 * MiB));
        return data;
    }

    /// <summary>Walks the snapshot's trees down the file's absolute path and returns its content blob IDs.</summary>
    private static async Task<List<string>> FileContentAsync(ResticCommand restic, string rootTree, string path)
    {
        var tree = rootTree;
        var names = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        for (var i = 0; ; i++)
        {
            var nodes = JsonDocument.Parse(await restic.RunAsync("cat", "blob", tree)).RootElement.GetProperty("nodes");
            var node = nodes.EnumerateArray().Single(n => n.GetProperty("name").GetString() == names[i]);
            if (i == names.Length - 1)
            {
                return node.GetProperty("content").EnumerateArray().Select(id => id.GetString()!).ToList();
            }

            tree = node.GetProperty("subtree").GetString()!;
        }
    }

    /// <summary>Plaintext length of every data blob named in the repository's index files.</summary>
    private static async Task<Dictionary<string, int>> BlobLengthsAsync(ResticCommand restic)
    {
        var lengths = new Dictionary<string, int>();
        var indexIds = (await restic.RunAsync("list", "index")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        foreach (var indexId in indexIds)
        {
            var index = JsonDocument.Parse(await restic.RunAsync("cat", "index", indexId)).RootElement;
            foreach (var blob in index.GetProperty("packs").EnumerateArray().SelectMany(pack => pack.GetProperty("blobs").EnumerateArray()))
            {
                if (blob.GetProperty("type").GetString() != "data")
                {
                    continue; // restic compresses trees even with --compression off
                }

                // Stored uncompressed: the plaintext is the stored length minus IV and MAC.
                blob.TryGetProperty("uncompressed_length", out _).Should().BeFalse("the backup ran with --compression off");
                lengths[blob.GetProperty("id").GetString()!] = blob.GetProperty("length").GetInt32() - 32;
            }
        }

        return lengths;
    }
}
