using Cairn.Bench.Corpus;
using Cairn.Testing.Trees;

namespace Cairn.Bench.Tests;

public sealed class CorpusTests
{
    private const long Size = 8L << 20;

    [Fact]
    public void Same_seed_gives_identical_bytes_and_another_seed_does_not()
    {
        using var scratch = new Scratch();
        var first = CorpusGenerator.Generate(scratch.Combine("a"), Size, seed: 42, TestContext.Current.CancellationToken);
        CorpusGenerator.Generate(scratch.Combine("b"), Size, seed: 42, TestContext.Current.CancellationToken);
        CorpusGenerator.Generate(scratch.Combine("c"), Size, seed: 43, TestContext.Current.CancellationToken);

        var a = TreeSummary.Compute(scratch.Combine("a"), sampleStride: 1);
        var b = TreeSummary.Compute(scratch.Combine("b"), sampleStride: 1);
        var c = TreeSummary.Compute(scratch.Combine("c"), sampleStride: 1);

        a.Should().Be(b);
        a.SampledFiles.Should().Be(a.Files);
        a.Bytes.Should().Be(Size).And.Be(first.Bytes);
        a.Files.Should().Be(first.Files);
        c.SampleHash.Should().NotBe(a.SampleHash);
        File.GetLastWriteTimeUtc(Path.Combine(scratch.Combine("a"), TreeSummary.List(scratch.Combine("a"))[0].Path))
            .Should().Be(File.GetLastWriteTimeUtc(Path.Combine(scratch.Combine("b"), TreeSummary.List(scratch.Combine("b"))[0].Path)));
    }

    [Fact]
    public void Plan_holds_every_kind_and_real_duplicates()
    {
        var files = CorpusPlan.Create(Size, seed: 1);

        files.Select(f => f.Kind).Distinct().Should().BeEquivalentTo(Enum.GetValues<ContentKind>());
        files.Sum(f => f.Size).Should().Be(Size);
        files.Count(f => f.Size <= 24 * 1024).Should().BeGreaterThan(files.Count / 2, "most files are small");

        using var scratch = new Scratch();
        CorpusGenerator.Generate(scratch.Path, Size, seed: 1, TestContext.Current.CancellationToken);
        var copy = files.First(f => f.Kind == ContentKind.Copy && f.Size == f.Source!.Size);
        File.ReadAllBytes(scratch.Combine(copy.Path)).Should().Equal(File.ReadAllBytes(scratch.Combine(copy.Source!.Path)));
        var shifted = files.First(f => f.Kind == ContentKind.Shifted && f.Size == f.Source!.Size + f.Prefix);
        File.ReadAllBytes(scratch.Combine(shifted.Path))[shifted.Prefix..].Should().Equal(File.ReadAllBytes(scratch.Combine(shifted.Source!.Path)));
    }

    [Fact]
    public void Modifier_changes_about_five_percent_of_files_and_puts_them_back_exactly()
    {
        using var scratch = new Scratch();
        var corpus = scratch.Combine("corpus");
        var info = CorpusGenerator.Generate(corpus, Size, seed: 7, TestContext.Current.CancellationToken);
        var before = TreeSummary.Compute(corpus, sampleStride: 1);
        var mtimes = TreeSummary.List(corpus).ToDictionary(f => f.Path, f => File.GetLastWriteTimeUtc(Path.Combine(corpus, f.Path)));

        var modifier = new CorpusModifier(corpus, scratch.Combine("stash"), seed: 7);
        modifier.Apply();
        var changed = modifier.Changed;
        var during = TreeSummary.Compute(corpus, sampleStride: 1);
        File.Exists(modifier.DirtyMarker).Should().BeTrue();
        modifier.Revert();
        var after = TreeSummary.Compute(corpus, sampleStride: 1);

        changed.Count.Should().Be((int)Math.Round(info.Files * 0.05));
        during.SampleHash.Should().NotBe(before.SampleHash);
        during.Files.Should().Be(before.Files);
        after.Should().Be(before);
        File.Exists(modifier.DirtyMarker).Should().BeFalse();
        foreach (var path in changed)
        {
            File.GetLastWriteTimeUtc(Path.Combine(corpus, path)).Should().Be(mtimes[path]);
        }
    }
}
