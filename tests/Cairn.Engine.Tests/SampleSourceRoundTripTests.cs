using Cairn.Testing.Trees;
using Cairn.Platform;

namespace Cairn.Engine.Tests;

/// <summary>The engine alone: what a backup keeps of the point-5 tree, a restore gives back exactly.</summary>
public sealed class SampleSourceRoundTripTests : IDisposable
{
    private readonly Scratch _scratch = new("cairn-engine-");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _scratch.Dispose();

    [Fact]
    public async Task A_backed_up_and_restored_tree_equals_its_source_in_content_and_metadata()
    {
        var source = _scratch.Raw.Join("source"u8);
        SampleSource.Build(source, seed: 1);
        await using var engine = await EngineHarness.CreateAsync(Ct);

        var (_, snapshot) = await engine.BackUpAsync(source.ToString(), Ct);
        var target = _scratch.Combine("target");
        var restored = await engine.RestoreAsync(snapshot.Tree, target, Ct);

        restored.Warnings.Should().Be(0);
        TreeComparer.Differences(source, RawPath.FromString(target + source)).Should().BeEmpty();
    }

    [Fact]
    public async Task Files_that_repeat_a_chunk_and_share_chunks_with_each_other_are_restored_whole()
    {
        // A constant byte gives a constant rolling hash, so the file is cut into equal chunks: one blob many times,
        // then a shorter last one; the copy shares them all. Not zeros: a restore that wrote nothing would pass.
        var source = _scratch.Raw.Join("source"u8);
        var tree = new TreeBuilder(source);
        var repeated = new byte[20 * 1024 * 1024];
        repeated.AsSpan().Fill(0xAB);
        tree.File(source.Join("repeated"u8), repeated, new EntryMetadata());
        tree.File(source.Join("repeated-copy"u8), repeated, new EntryMetadata());
        var mixed = new byte[3 * 1024 * 1024];
        mixed.AsSpan().Fill(0xAB);
        new Random(6).NextBytes(mixed.AsSpan(0, 1024 * 1024));
        tree.File(source.Join("mixed"u8), mixed, new EntryMetadata());
        tree.Finish();
        await using var engine = await EngineHarness.CreateAsync(Ct);

        var (backup, snapshot) = await engine.BackUpAsync(source.ToString(), Ct);
        var target = _scratch.Combine("target");
        var restored = await engine.RestoreAsync(snapshot.Tree, target, Ct);

        backup.DataBlobs.Should().BeLessThan(8, "repeated chunks are stored once");
        restored.Warnings.Should().Be(0);
        TreeComparer.Differences(source, RawPath.FromString(target + source)).Should().BeEmpty();
    }

    [Fact]
    public async Task A_second_backup_with_the_first_as_parent_reads_no_file_and_adds_no_data()
    {
        var source = _scratch.Raw.Join("source"u8);
        var files = SampleSource.Build(source, seed: 2);
        await using var engine = await EngineHarness.CreateAsync(Ct);
        var (first, snapshot) = await engine.BackUpAsync(source.ToString(), Ct);

        var (second, _) = await engine.BackUpAsync(source.ToString(), Ct, parent: snapshot);

        first.FilesNew.Should().Be(files);
        second.FilesUnmodified.Should().Be(files);
        second.FilesNew.Should().Be(0);
        second.FilesChanged.Should().Be(0);
        second.DataBlobs.Should().Be(0);
        second.DataAdded.Should().Be(0);
    }

    [Fact]
    public async Task A_backup_with_a_parent_makes_the_same_trees_as_one_that_reads_everything()
    {
        // The parent lets unchanged files keep their recorded content and attributes; whatever changed since
        // (an attribute set, content rewritten, a folder added) must still show, exactly as a full read sees it.
        var source = _scratch.Raw.Join("source"u8);
        SampleSource.Build(source, seed: 3);
        await using var engine = await EngineHarness.CreateAsync(Ct);
        var (_, first) = await engine.BackUpAsync(source.ToString(), Ct);

        var files = Directory.EnumerateFiles(source.ToString(), "*", SearchOption.AllDirectories)
            .Where(f => !f.Contains('\uFFFD') && PosixFileSystem.LStat(RawPath.FromString(f)).Kind == FileKind.File)
            .Order(StringComparer.Ordinal)
            .ToList();
        files.Count.Should().BeGreaterThan(3);
        PosixFileSystem.SetXattr(RawPath.FromString(files[0]), "user.cairn.added"u8.ToArray(), "new"u8.ToArray());
        PosixFileSystem.SetXattr(RawPath.FromString(files[1]), "user.cairn.added"u8.ToArray(), [1, 2, 3]);
        File.AppendAllText(files[2], "more");
        Directory.CreateDirectory(Path.Combine(source.ToString(), "added-folder", "inner"));
        File.WriteAllText(Path.Combine(source.ToString(), "added-folder", "inner", "file"), "content");

        var (withParent, second) = await engine.BackUpAsync(source.ToString(), Ct, parent: first);
        var (_, full) = await engine.BackUpAsync(source.ToString(), Ct);

        withParent.FilesUnmodified.Should().BeGreaterThan(0);
        var withParentTree = await TreeOf(engine, second.Tree, source.ToString());
        (await TreeOf(engine, full.Tree, source.ToString())).Should().Be(withParentTree);
        (await TreeOf(engine, first.Tree, source.ToString())).Should().NotBe(withParentTree);
    }

    [Fact]
    public async Task Changed_files_in_a_subfolder_walked_beside_the_main_walk_are_all_read()
    {
        // With a parent, subfolders are walked on a free core; the main walk may finish first, and the files the
        // other walk still hands over must be read all the same.
        var source = Path.Combine(_scratch.Combine("source"), "only");
        Directory.CreateDirectory(source);
        for (var i = 0; i < 300; i++)
        {
            File.WriteAllText(Path.Combine(source, $"file-{i:D3}"), $"first {i}");
        }

        await using var engine = await EngineHarness.CreateAsync(Ct);
        var (_, parent) = await engine.BackUpAsync(Path.GetDirectoryName(source)!, Ct);
        for (var round = 0; round < 3; round++)
        {
            for (var i = 0; i < 300; i++)
            {
                File.AppendAllText(Path.Combine(source, $"file-{i:D3}"), $" round {round}");
            }

            var (summary, snapshot) = await engine.BackUpAsync(Path.GetDirectoryName(source)!, Ct, parent);
            summary.FilesChanged.Should().Be(300);
            parent = snapshot;
        }
    }

    /// <summary>The tree of the folder at <paramref name="path"/> inside a snapshot (folders above it, like /tmp, change on their own).</summary>
    private static async Task<Cairn.Repository.Id> TreeOf(EngineHarness engine, Cairn.Repository.Id root, string path)
    {
        var tree = root;
        foreach (var name in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            var nodes = await engine.Repository.LoadTreeAsync(tree, Ct);
            tree = nodes.Single(n => n.DisplayName == name).Subtree!.Value;
        }

        return tree;
    }
}
