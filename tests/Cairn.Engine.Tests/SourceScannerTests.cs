using Cairn.Backup;
using Cairn.Testing.Trees;
using Cairn.Platform;
using Cairn.Repository.Filtering;

namespace Cairn.Engine.Tests;

/// <summary>The scan that runs beside a backup: its totals, and the folder listings it keeps for the walk.</summary>
public sealed class SourceScannerTests : IDisposable
{
    private readonly Scratch _scratch = new("cairn-scan-");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _scratch.Dispose();

    [Fact]
    public void It_counts_the_regular_files_and_their_bytes_a_plain_walk_counts()
    {
        var source = _scratch.Raw.Join("source"u8);
        SampleSource.Build(source, seed: 3);
        var (expectedFiles, expectedBytes) = CountByWalking(source);

        var (files, bytes) = new SourceScanner([source.ToString()], new PathPatternSet([])).Scan(Ct);

        files.Should().Be(expectedFiles);
        bytes.Should().Be(expectedBytes);
    }

    [Fact]
    public void Excluded_entries_are_not_counted_and_their_folders_not_entered()
    {
        var source = _scratch.Raw.Join("source"u8);
        Directory.CreateDirectory(Path.Combine(source.ToString(), "kept"));
        Directory.CreateDirectory(Path.Combine(source.ToString(), "skipped", "deeper"));
        File.WriteAllBytes(Path.Combine(source.ToString(), "kept", "a"), new byte[10]);
        File.WriteAllBytes(Path.Combine(source.ToString(), "skipped", "b"), new byte[100]);
        File.WriteAllBytes(Path.Combine(source.ToString(), "skipped", "deeper", "c"), new byte[1000]);
        File.WriteAllBytes(Path.Combine(source.ToString(), "top.log"), new byte[7]);

        var scanner = new SourceScanner([source.ToString()], new PathPatternSet(["skipped", "*.log"]));
        var (files, bytes) = scanner.Scan(Ct);

        (files, bytes).Should().Be((1L, 10L));
        scanner.Take(PosixFileSystem.LStat(source.Join("skipped"u8))).Should().BeNull("an excluded folder is not listed");
    }

    [Fact]
    public void Each_folder_s_listing_is_handed_out_once_with_the_status_of_every_entry()
    {
        var source = _scratch.Raw.Join("source"u8);
        SampleSource.Build(source, seed: 4);
        var scanner = new SourceScanner([source.ToString()], new PathPatternSet([]));
        scanner.Scan(Ct);

        var folders = 0;
        var pending = new Stack<RawPath>([source]);
        while (pending.Count > 0)
        {
            var folder = pending.Pop();
            var listing = scanner.Take(PosixFileSystem.LStat(folder));
            listing.Should().NotBeNull("{0} was scanned", folder);
            // Not the access times: listing a subfolder after its parent moves the subfolder's.
            listing!.Select(Summary).Should().Equal(PosixFileSystem.ListDirectory(folder).Select(Summary));
            scanner.Take(PosixFileSystem.LStat(folder)).Should().BeNull("a listing is handed out once");
            foreach (var entry in listing.Where(e => e.Status.Kind == FileKind.Directory))
            {
                pending.Push(folder.Join(entry.Name));
            }

            folders++;
        }

        folders.Should().BeGreaterThan(2);
    }

    [Fact]
    public void A_folder_that_changed_after_the_scan_is_not_handed_out_so_the_walk_lists_it_again()
    {
        var source = _scratch.Raw.Join("source"u8);
        var changed = source.Join("changed"u8);
        var kept = source.Join("kept"u8);
        Directory.CreateDirectory(changed.ToString());
        Directory.CreateDirectory(kept.ToString());
        var scanner = new SourceScanner([source.ToString()], new PathPatternSet([]));
        scanner.Scan(Ct);

        var before = PosixFileSystem.LStat(changed);
        File.WriteAllText(changed.Join("new"u8).ToString(), "added after the scan");
        var after = PosixFileSystem.LStat(changed);

        after.ModifyTime.Should().NotBe(before.ModifyTime, "adding a name moves the folder's mtime");
        scanner.Take(after).Should().BeNull();
        scanner.Take(PosixFileSystem.LStat(kept)).Should().NotBeNull();
    }

    [Fact]
    public void Past_its_limit_it_keeps_no_more_listings_but_still_counts()
    {
        var source = _scratch.Raw.Join("source"u8);
        for (var i = 0; i < 5; i++)
        {
            Directory.CreateDirectory(Path.Combine(source.ToString(), $"d{i}"));
            for (var j = 0; j < 4; j++)
            {
                File.WriteAllBytes(Path.Combine(source.ToString(), $"d{i}", $"f{j}"), new byte[3]);
            }
        }

        var scanner = new SourceScanner([source.ToString()], new PathPatternSet([]), heldEntries: 9);
        var (files, bytes) = scanner.Scan(Ct);

        (files, bytes).Should().Be((20L, 60L));
        var folders = Enumerable.Range(0, 5).Select(i => source.Join(System.Text.Encoding.ASCII.GetBytes($"d{i}"))).Prepend(source);
        var kept = folders.Select(f => scanner.Take(PosixFileSystem.LStat(f))).OfType<DirectoryEntry[]>().ToList();
        kept.Sum(l => l.Length).Should().BeLessThanOrEqualTo(9);
        kept.Should().HaveCountLessThan(3, "of six listings (5 + 5 x 4 entries) at most two fit under nine held entries");
        kept.Should().NotBeEmpty();
    }

    private static (string, FileKind, long, ulong, Timestamp, Timestamp) Summary(DirectoryEntry e) =>
        (Convert.ToHexString(e.Name), e.Status.Kind, e.Status.Size, e.Status.Inode, e.Status.ModifyTime, e.Status.ChangeTime);

    /// <summary>Regular files and their bytes, by a plain recursive ReadDirectory and LStat.</summary>
    private static (long Files, long Bytes) CountByWalking(RawPath path)
    {
        var status = PosixFileSystem.LStat(path);
        if (status.Kind == FileKind.File)
        {
            return (1, status.Size);
        }

        if (status.Kind != FileKind.Directory)
        {
            return (0, 0);
        }

        var counts = PosixFileSystem.ReadDirectory(path).Select(name => CountByWalking(path.Join(name))).ToList();
        return (counts.Sum(c => c.Files), counts.Sum(c => c.Bytes));
    }
}
