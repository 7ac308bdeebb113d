using Cairn.Repository.Chunking;
using Cairn.Repository.Internal.Chunking;

namespace Cairn.Repository.Tests.Chunking;

/// <summary>
/// Chunk lengths that restic 0.14 produced (backup --compression off, lengths read back from its index) for a
/// generated file, in a repository whose config said "chunker_polynomial": "3d85df715d4f9f".
/// </summary>
public sealed class ResticChunkerKnownAnswerTests
{
    private const int MiB = 1024 * 1024;

    private static readonly int[] ResticChunkLengths =
    [
        1757910, 2886486, 541179, 1608610, 2186670, 1066240, 1011371, 858341, 691451, 675037, 1799403, 759866, 527182, 2783990,
        809873, 1007975, 524288, 524288, 524288, 524288, 524288, 8388608, 8388608, 1641491, 1511209, 2064296, 657399, 953630,
    ];

    /// <summary>20 MiB of SplitMix64(1), 3 MiB of zeros, 17 MiB of 0xAB, then 5 MiB + 12345 bytes of SplitMix64(2).</summary>
    internal static byte[] GenerateFile()
    {
        var data = new byte[45 * MiB + 12345];
        new SplitMix64(1).Fill(data.AsSpan(0, 20 * MiB));
        data.AsSpan(23 * MiB, 17 * MiB).Fill(0xAB);
        new SplitMix64(2).Fill(data.AsSpan(40 * MiB));
        return data;
    }

    [Fact]
    public void Cuts_the_generated_file_exactly_where_restic_did()
    {
        var data = GenerateFile();
        var chunker = new Chunker(Polynomial.Parse("3d85df715d4f9f"));

        var lengths = new List<int>();
        for (var start = 0; start < data.Length;)
        {
            var length = chunker.FindBoundary(data.AsSpan(start), isFinal: true);
            lengths.Add(length);
            start += length;
        }

        lengths.Should().Equal(ResticChunkLengths);
    }

    [Fact]
    public void Generates_the_file_restic_was_given()
    {
        // SHA-256 of the file handed to restic; guards the generator against accidental edits.
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(GenerateFile()))
            .Should().Be("51d2d6f1b40d3d5eb514d878969d45c47a6dd4b07083a59e5b3a1621e90993e2");
    }
}
