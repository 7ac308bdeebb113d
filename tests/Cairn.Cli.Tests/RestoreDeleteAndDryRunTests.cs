using System.Text;
using Cairn.Cli.Tests.Infrastructure;
using Cairn.Testing.Trees;
using Cairn.Platform;

namespace Cairn.Cli.Tests;

/// <summary>
/// restore --delete removes exactly what the target holds beyond a restic-made snapshot (never anything outside the
/// target, nor what the patterns leave out), and --dry-run changes nothing at all while listing what it would do.
/// </summary>
public sealed class RestoreDeleteAndDryRunTests : IDisposable
{
    private readonly Workspace _workspace = new("cairn-delete-");

    public void Dispose() => _workspace.Dispose();

    [Fact]
    public async Task Delete_removes_exactly_the_extra_entries_and_nothing_outside_the_target()
    {
        var (source, snapshot) = await BackUpWithResticAsync();
        var target = _workspace.Scratch.Combine("target");
        (await _workspace.Cairn.RunAsync("restore", snapshot, "--target", target)).ShouldSucceed();
        var restored = Workspace.Restored(target, source);
        var outside = AddExtras(restored);

        var run = (await _workspace.Cairn.RunAsync("restore", snapshot, "--target", target, "--delete", "-v")).ShouldSucceed();

        TreeComparer.Differences(source, restored).Should().BeEmpty("every extra entry is gone and nothing of the snapshot was touched");
        File.ReadAllText(Path.Combine(outside, "precious.txt")).Should().Be("outside the target\n", "a link in the target is removed, never followed");
        var verbs = RestoreOverwriteTests.Listing(run.Stdout, source);
        verbs.Where(v => v.Value == "deleted").Select(v => v.Key).Should().BeEquivalentTo("/extra.txt", "/sub/extra.txt", "/sub/extra-dir", "/link-out");
        run.Stdout.Should().MatchRegex(@"(?m)^Summary: Restored \d+ files/dirs .* in \d+:\d\d, skipped \d+ files/dirs \(.*\), deleted 4 files/dirs$");
    }

    [Fact]
    public async Task Delete_with_patterns_removes_only_what_the_patterns_select()
    {
        var (source, snapshot) = await BackUpWithResticAsync();
        var target = _workspace.Scratch.Combine("target");
        (await _workspace.Cairn.RunAsync("restore", snapshot, "--target", target)).ShouldSucceed();
        var restored = Workspace.Restored(target, source);
        AddExtras(restored);

        // Excluded paths are out of the restore, so they stay.
        (await _workspace.Cairn.RunAsync("restore", snapshot, "--target", target, "--delete", "--exclude", "extra.txt")).ShouldSucceed();
        File.Exists(Path.Combine(restored.ToString(), "extra.txt")).Should().BeTrue();
        File.Exists(Path.Combine(restored.ToString(), "sub/extra.txt")).Should().BeTrue();
        Directory.Exists(Path.Combine(restored.ToString(), "sub/extra-dir")).Should().BeFalse();
        File.Exists(Path.Combine(restored.ToString(), "link-out")).Should().BeFalse();

        // With an include, only what it selects is removed: the extra beside sub/ is not included.
        (await _workspace.Cairn.RunAsync("restore", snapshot, "--target", target, "--delete", "--include", $"{source}/sub")).ShouldSucceed();
        File.Exists(Path.Combine(restored.ToString(), "extra.txt")).Should().BeTrue();
        File.Exists(Path.Combine(restored.ToString(), "sub/extra.txt")).Should().BeFalse();
        TreeComparer.Differences(source, restored).Should().ContainSingle().Which.Should().Contain("extra.txt").And.Contain("unexpected");
    }

    [Fact]
    public async Task Dry_run_lists_what_would_change_and_leaves_the_target_exactly_as_it_was()
    {
        var (source, snapshot) = await BackUpWithResticAsync();
        var target = _workspace.Scratch.Combine("target");
        (await _workspace.Cairn.RunAsync("restore", snapshot, "--target", target)).ShouldSucceed();
        var restored = Workspace.Restored(target, source);
        AddExtras(restored);
        File.WriteAllText(Path.Combine(restored.ToString(), "a.txt"), "edited\n");
        File.Delete(Path.Combine(restored.ToString(), "sub/b.txt"));
        var before = State(target);

        var run = (await _workspace.Cairn.RunAsync("restore", snapshot, "--target", target, "--dry-run", "--delete", "-v")).ShouldSucceed();

        State(target).Should().Equal(before, "a dry run creates, changes and removes nothing, and sets no times");
        var verbs = RestoreOverwriteTests.Listing(run.Stdout, source);
        verbs["/a.txt"].Should().Be("updated");
        verbs["/sub/b.txt"].Should().Be("restored");
        verbs["/sub/c.txt"].Should().Be("unchanged");
        verbs["/extra.txt"].Should().Be("deleted");
        verbs["/sub/extra-dir"].Should().Be("deleted");

        // Into a folder that does not exist, not even the folder is made.
        var fresh = _workspace.Scratch.Combine("fresh");
        var freshRun = (await _workspace.Cairn.RunAsync("restore", snapshot, "--target", fresh, "--dry-run", "-v")).ShouldSucceed();
        Directory.Exists(fresh).Should().BeFalse();
        RestoreOverwriteTests.Listing(freshRun.Stdout, source).Values.Should().AllBe("restored");
    }

    private async Task<(RawPath Source, string Snapshot)> BackUpWithResticAsync()
    {
        var source = _workspace.Scratch.Raw.Join("source"u8);
        Directory.CreateDirectory(Path.Combine(source.ToString(), "sub"));
        File.WriteAllText(Path.Combine(source.ToString(), "a.txt"), "alpha\n");
        File.WriteAllText(Path.Combine(source.ToString(), "sub/b.txt"), "bravo\n");
        File.WriteAllText(Path.Combine(source.ToString(), "sub/c.txt"), "charlie\n");
        (await _workspace.Restic.RunAsync("init")).ShouldSucceed();
        var backup = (await _workspace.Restic.RunAsync("backup", "--json", source.ToString())).ShouldSucceed();
        return (source, backup.Message("summary").GetProperty("snapshot_id").GetString()!);
    }

    /// <summary>Entries the snapshot does not have; returns a folder outside the target that a planted link points to.</summary>
    private string AddExtras(RawPath restored)
    {
        File.WriteAllText(Path.Combine(restored.ToString(), "extra.txt"), "extra\n");
        File.WriteAllText(Path.Combine(restored.ToString(), "sub/extra.txt"), "extra\n");
        Directory.CreateDirectory(Path.Combine(restored.ToString(), "sub/extra-dir/deeper"));
        File.WriteAllText(Path.Combine(restored.ToString(), "sub/extra-dir/deeper/file"), "deep\n");
        var outside = _workspace.Scratch.Combine("outside");
        Directory.CreateDirectory(outside);
        File.WriteAllText(Path.Combine(outside, "precious.txt"), "outside the target\n");
        File.CreateSymbolicLink(Path.Combine(restored.ToString(), "link-out"), outside);
        return outside;
    }

    /// <summary>Every entry below a folder with its kind, size, inode, mtime and content hash, in name order.</summary>
    private static List<string> State(string top)
    {
        var state = new List<string>();
        void Walk(RawPath folder, string shown)
        {
            var status = PosixFileSystem.LStat(folder);
            state.Add($"{shown} dir {status.Inode} {status.ModifyTime} {status.Permissions}");
            foreach (var name in PosixFileSystem.ReadDirectory(folder))
            {
                var path = folder.Join(name);
                var child = $"{shown}/{RawPath.Display(name)}";
                var entry = PosixFileSystem.LStat(path);
                if (entry.Kind == FileKind.Directory)
                {
                    Walk(path, child);
                    continue;
                }

                var content = entry.Kind == FileKind.File ? Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(path.ToString()))) : "";
                state.Add($"{child} {entry.Kind} {entry.Size} {entry.Inode} {entry.ModifyTime} {entry.Permissions} {content}");
            }
        }

        Walk(RawPath.FromString(top), "");
        return state;
    }
}
