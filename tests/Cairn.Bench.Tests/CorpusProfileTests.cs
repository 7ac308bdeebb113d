using Cairn.Bench.Corpus;
using Cairn.Testing.Trees;

namespace Cairn.Bench.Tests;

/// <summary>The corpus profiles of issue 18 at their default sizes (planned, not written), and one written small.</summary>
public sealed class CorpusProfileTests
{
    [Fact]
    public void Tiny_files_is_a_deep_mostly_text_tree_of_sixty_thousand_files_with_a_median_under_4_KiB()
    {
        var files = CorpusProfile.TinyFiles.Plan(CorpusProfile.TinyFiles.DefaultSize(), seed: 1);

        files.Count.Should().BeGreaterThan(60_000);
        Median(files).Should().BeLessThan(4096);
        files.Max(f => f.Path.Count(c => c == '/')).Should().BeGreaterThanOrEqualTo(5, "folders go deep");
        var text = files.Where(f => f.Kind == ContentKind.Source || f.Source?.Kind == ContentKind.Source).Sum(f => f.Size);
        ((double)text / files.Sum(f => f.Size)).Should().BeGreaterThan(0.85, "most bytes are text");
        files.Should().Contain(f => f.Kind == ContentKind.Copy, "license texts repeat word for word");
        files.Select(f => f.Path).Should().OnlyHaveUniqueItems();
    }

    [Fact]
    public void Million_files_holds_a_million_files_of_0_to_8_KiB_in_folders_of_at_most_200()
    {
        var files = CorpusProfile.MillionFiles.Plan(CorpusProfile.MillionFiles.DefaultSize(), seed: 1);

        files.Count.Should().Be(1_000_000);
        files.Should().OnlyContain(f => f.Size >= 0 && f.Size <= 8192);
        var folders = files.GroupBy(f => Path.GetDirectoryName(f.Path)).ToList();
        folders.Max(g => g.Count()).Should().BeLessThanOrEqualTo(400, "a folder holds one or two runs of 20-200 files");
        folders.Count.Should().BeGreaterThan(5_000);
        files.Select(f => f.Path).Distinct(StringComparer.Ordinal).Count().Should().Be(files.Count);
    }

    [Theory]
    [InlineData("tiny-files")]
    [InlineData("million-files")]
    public void A_profile_written_twice_with_one_seed_is_the_same_tree(string name)
    {
        var profile = CorpusProfiles.Parse(name);
        using var scratch = new Scratch();
        var first = CorpusGenerator.Generate(scratch.Combine("a"), profile, 1L << 20, seed: 5, TestContext.Current.CancellationToken);
        CorpusGenerator.Generate(scratch.Combine("b"), profile, 1L << 20, seed: 5, TestContext.Current.CancellationToken);

        var a = TreeSummary.Compute(scratch.Combine("a"), sampleStride: 1);
        a.Should().Be(TreeSummary.Compute(scratch.Combine("b"), sampleStride: 1));
        a.Files.Should().Be(first.Files).And.Be(profile.Plan(1L << 20, seed: 5).Count);
    }

    [Fact]
    public void An_unknown_profile_is_refused_with_the_names_there_are()
    {
        var parse = () => BenchOptions.Parse(["--profile", "huge"]);
        parse.Should().Throw<ArgumentException>().WithMessage("--profile huge: one of mixed, tiny-files, million-files");
    }

    private static long Median(IReadOnlyList<FileSpec> files)
    {
        var sizes = files.Select(f => f.Size).Order().ToArray();
        return sizes[sizes.Length / 2];
    }
}
