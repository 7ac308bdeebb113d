using Cairn.Repository.Chunking;
using Cairn.Repository.Internal.Chunking;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Cairn.Repository.Tests.Chunking;

public sealed class ChunkerTests
{
    private static readonly Chunker Chunker = new(Polynomial.Parse("3d85df715d4f9f"));

    [Fact]
    public void Asks_for_more_data_below_the_minimum_size_unless_the_file_ends()
    {
        var data = SplitMix64.Bytes(1, Chunker.MinSize - 1);
        Chunker.FindBoundary(data, isFinal: false).Should().Be(-1);
        Chunker.FindBoundary(data, isFinal: true).Should().Be(data.Length);
        Chunker.FindBoundary([], isFinal: true).Should().Be(0);
    }

    [Fact]
    public void Cuts_runs_of_zeros_at_exactly_the_minimum_size()
    {
        // The fingerprint of 64 zero bytes is zero, which is a boundary as soon as one is allowed.
        var zeros = new byte[3 * Chunker.MinSize];
        Chunker.FindBoundary(zeros, isFinal: false).Should().Be(Chunker.MinSize);
        Chunker.FindBoundary(zeros.AsSpan(0, Chunker.MinSize), isFinal: false).Should().Be(Chunker.MinSize);
    }

    [Fact]
    public void Cuts_data_without_a_boundary_at_the_maximum_size()
    {
        var constant = new byte[Chunker.MaxSize + 100];
        constant.AsSpan().Fill(0xAB);
        Chunker.FindBoundary(constant, isFinal: false).Should().Be(Chunker.MaxSize);
        Chunker.FindBoundary(constant.AsSpan(0, Chunker.MaxSize), isFinal: false).Should().Be(Chunker.MaxSize);
        Chunker.FindBoundary(constant.AsSpan(0, Chunker.MaxSize - 1), isFinal: false).Should().Be(-1);
        Chunker.FindBoundary(constant.AsSpan(0, Chunker.MaxSize - 1), isFinal: true).Should().Be(Chunker.MaxSize - 1);
    }

    [Fact]
    public void Ignores_everything_before_the_last_window_ahead_of_the_minimum_size()
    {
        var data = SplitMix64.Bytes(3, 4 * Chunker.MaxSize);
        var boundary = Chunker.FindBoundary(data, isFinal: false);

        var changed = data.ToArray();
        changed.AsSpan(0, Chunker.MinSize - Chunker.WindowSize).Fill(0x5A);
        Chunker.FindBoundary(changed, isFinal: false).Should().Be(boundary);
    }

    [Fact]
    public void Depends_on_the_polynomial()
    {
        var data = SplitMix64.Bytes(5, 2 * Chunker.MaxSize);
        var other = new Chunker(Polynomial.RandomIrreducible(new Random(5)));
        Chunker.FindBoundary(data, isFinal: false).Should().NotBe(other.FindBoundary(data, isFinal: false));
    }

    [Fact]
    public void Shares_tables_between_chunkers_of_one_polynomial()
    {
        var data = SplitMix64.Bytes(6, 2 * Chunker.MaxSize);
        new Chunker(Chunker.Polynomial).FindBoundary(data, isFinal: false).Should().Be(Chunker.FindBoundary(data, isFinal: false));
    }

    [Fact]
    public void Refuses_polynomials_whose_degree_does_not_fit_the_tables()
    {
        var act = () => new Chunker(new Polynomial(0b1011));
        act.Should().Throw<ArgumentOutOfRangeException>();
    }

    [Property(MaxTest = 20)]
    public Property Splits_any_file_into_chunks_within_the_limits_whatever_the_buffer_sizes() =>
        Prop.ForAll(
            ArbMap.Default.GeneratorFor<ulong>()
                .SelectMany(_ => Gen.Choose(0, 10 * 1024 * 1024), (seed, length) => (seed, length))
                // Windows of at least 1 MiB: the chunker is stateless, so tiny windows would rescan each chunk many times.
                .SelectMany(_ => Gen.Choose(1024 * 1024, 3 * Chunker.MaxSize), (x, window) => (x.seed, x.length, window))
                .ToArbitrary(),
            input =>
            {
                var data = SplitMix64.Bytes(input.seed, input.length);
                var whole = ChunkAll(data, data.Length);
                var streamed = ChunkAll(data, input.window);
                return whole.SequenceEqual(streamed)
                    && whole.Sum() == data.Length
                    && whole.SkipLast(1).All(length => length is >= Chunker.MinSize and <= Chunker.MaxSize)
                    && whole.TakeLast(1).All(length => length is > 0 and <= Chunker.MaxSize);
            });

    [Fact]
    public void Finds_the_same_boundaries_after_an_insertion_once_it_is_a_chunk_behind()
    {
        // Content-defined: an edit near the start shifts later boundaries by the edit's length, no more.
        var data = SplitMix64.Bytes(9, 12 * 1024 * 1024);
        var edited = new byte[data.Length + 1000];
        data.AsSpan(0, 100).CopyTo(edited);
        data.AsSpan(100).CopyTo(edited.AsSpan(1100));

        var before = Ends(ChunkAll(data, data.Length));
        var after = Ends(ChunkAll(edited, edited.Length)).Select(end => end - 1000).ToList();
        before.Skip(2).Should().BeSubsetOf(after);
    }

    /// <summary>Chunks a file handing the chunker at most <paramref name="window"/> bytes beyond the chunk start at a time.</summary>
    private static List<int> ChunkAll(byte[] data, int window)
    {
        var lengths = new List<int>();
        var start = 0;
        var available = Math.Min(window, data.Length);
        while (start < data.Length)
        {
            var isFinal = available == data.Length;
            var length = Chunker.FindBoundary(data.AsSpan(start, available - start), isFinal);
            if (length < 0)
            {
                available = Math.Min(data.Length, available + window);
                continue;
            }

            lengths.Add(length);
            start += length;
            available = Math.Max(available, Math.Min(data.Length, start + 1));
        }

        return lengths;
    }

    private static List<int> Ends(List<int> lengths)
    {
        var ends = new List<int>();
        var end = 0;
        foreach (var length in lengths)
        {
            end += length;
            ends.Add(end);
        }

        return ends;
    }
}
