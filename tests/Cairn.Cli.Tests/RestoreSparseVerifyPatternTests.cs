using Cairn.Cli.Tests.Infrastructure;
using Cairn.Testing.Trees;
using Cairn.Platform;

namespace Cairn.Cli.Tests;

/// <summary>restore --sparse, --verify and the pattern-file flags on restic-made snapshots.</summary>
public sealed class RestoreSparseVerifyPatternTests : IDisposable
{
    private const int ZeroFileSize = 4 << 20;
    private readonly Workspace _workspace = new("cairn-sparse-");

    public void Dispose() => _workspace.Dispose();

    [Fact]
    public async Task Sparse_leaves_holes_for_chunks_of_zeros_and_the_bytes_stay_the_same()
    {
        var source = _workspace.Scratch.Raw.Join("source"u8);
        Directory.CreateDirectory(source.ToString());
        File.WriteAllBytes(source.Join("zeros"u8).ToString(), new byte[ZeroFileSize]);
        var mixed = new byte[ZeroFileSize + 3];
        "end"u8.CopyTo(mixed.AsSpan(ZeroFileSize));
        File.WriteAllBytes(source.Join("zeros-then-data"u8).ToString(), mixed);
        var snapshot = await BackUpWithResticAsync(source);

        var sparse = _workspace.Scratch.Combine("sparse");
        var dense = _workspace.Scratch.Combine("dense");
        (await _workspace.Cairn.RunAsync("restore", snapshot, "--target", sparse, "--sparse")).ShouldSucceed();
        (await _workspace.Cairn.RunAsync("restore", snapshot, "--target", dense)).ShouldSucceed();

        TreeComparer.Differences(source, Workspace.Restored(sparse, source)).Should().BeEmpty();
        var zeros = Workspace.Restored(sparse, source).Join("zeros"u8).ToString();
        (await AllocatedBytesAsync(zeros)).Should().BeLessThan(ZeroFileSize, "the chunks of zeros were left as holes");
        (await AllocatedBytesAsync(Workspace.Restored(sparse, source).Join("zeros-then-data"u8).ToString())).Should().BeLessThan(ZeroFileSize);
        (await AllocatedBytesAsync(Workspace.Restored(dense, source).Join("zeros"u8).ToString())).Should().BeGreaterThanOrEqualTo(ZeroFileSize, "without --sparse the zeros are written");
    }

    [Fact]
    public async Task Verify_reads_the_restored_files_back_and_passes_when_they_match()
    {
        var (source, _) = _workspace.BuildSample(seed: 17, small: true);
        var snapshot = await BackUpWithResticAsync(source);
        var target = _workspace.Scratch.Combine("target");

        var run = (await _workspace.Cairn.RunAsync("restore", snapshot, "--target", target, "--verify")).ShouldSucceed();

        run.Stderr.Should().BeEmpty();
        run.Stdout.Should().MatchRegex(@"(?m)^Summary: Restored \d+ files/dirs \(.*\) in \d+:\d\d$");
        TreeComparer.Differences(source, Workspace.Restored(target, source)).Should().BeEmpty();
    }

    [Fact]
    public async Task Pattern_files_select_what_the_same_patterns_select_in_restic()
    {
        var (source, _) = _workspace.BuildSample(seed: 23, small: true);
        var snapshot = await BackUpWithResticAsync(source);
        var includes = _workspace.Scratch.Combine("includes.txt");
        File.WriteAllLines(includes, ["# restore these", "", $"{source}/owned", "small*"]);
        var excludes = _workspace.Scratch.Combine("excludes.txt");
        File.WriteAllLines(excludes, ["*.bin", "  # not a pattern", "sticky"]);
        var upper = _workspace.Scratch.Combine("upper.txt");
        File.WriteAllLines(upper, ["SMALL*", "NESTED"]);
        (string[] ByCairn, string[] ByRestic)[] cases =
        [
            (["--include-file", includes], ["--include", $"{source}/owned", "--include", "small*"]),
            (["--exclude-file", excludes], ["--exclude", "*.bin", "--exclude", "sticky"]),
            (["--iinclude-file", upper], ["--iinclude", "SMALL*", "--iinclude", "NESTED"]),
            (["--iexclude-file", upper], ["--iexclude", "SMALL*", "--iexclude", "NESTED"]),
            (["--iexclude", "*.BIN"], ["--iexclude", "*.BIN"]),
        ];

        foreach (var ((byCairn, byRestic), i) in cases.Select((c, i) => (c, i)))
        {
            var cairnTarget = _workspace.Scratch.Combine($"cairn-{i}");
            var resticTarget = _workspace.Scratch.Combine($"restic-{i}");
            (await _workspace.Cairn.RunAsync(["restore", snapshot, "--target", cairnTarget, .. byCairn])).ShouldSucceed();
            (await _workspace.Restic.RunAsync(["restore", snapshot, "--target", resticTarget, .. byRestic])).ShouldSucceed();
            var restored = Listing(cairnTarget);
            restored.Should().NotBeEmpty(string.Join(' ', byCairn)).And.Equal(Listing(resticTarget), string.Join(' ', byCairn));
            // Below the target folder itself (restic makes it 0700, cairn leaves it to the umask, as before these flags).
            TreeComparer.Differences(Workspace.Restored(resticTarget, source), Workspace.Restored(cairnTarget, source)).Should().BeEmpty(string.Join(' ', byCairn));
        }

        (await _workspace.Cairn.RunAsync("restore", snapshot, "--target", _workspace.Scratch.Combine("none"), "--include-file", _workspace.Scratch.Combine("absent.txt")))
            .ShouldFailWith(ExitCodes.Error, "cannot read patterns from");
    }

    private async Task<string> BackUpWithResticAsync(RawPath source)
    {
        (await _workspace.Restic.RunAsync("init")).ShouldSucceed();
        var backup = (await _workspace.Restic.RunAsync("backup", "--json", source.ToString())).ShouldSucceed();
        return backup.Message("summary").GetProperty("snapshot_id").GetString()!;
    }

    /// <summary>st_blocks in bytes, as stat(1) reports them (FileStatus carries no block count).</summary>
    private static async Task<long> AllocatedBytesAsync(string path)
    {
        var stat = (await ProgramRunner.RunAsync("stat", ["-c", "%b %B", path], new Dictionary<string, string>())).ShouldSucceed();
        var parts = stat.Stdout.Trim().Split(' ');
        return long.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture) * long.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Every path below a folder with its kind, in name order.</summary>
    private static List<string> Listing(string top)
    {
        var entries = new List<string>();
        void Walk(RawPath folder, string shown)
        {
            foreach (var name in PosixFileSystem.ReadDirectory(folder))
            {
                var path = folder.Join(name);
                var child = $"{shown}/{RawPath.Display(name)}";
                var kind = PosixFileSystem.LStat(path).Kind;
                entries.Add($"{child} {kind}");
                if (kind == FileKind.Directory)
                {
                    Walk(path, child);
                }
            }
        }

        if (Directory.Exists(top))
        {
            Walk(RawPath.FromString(top), "");
        }

        return entries;
    }
}
