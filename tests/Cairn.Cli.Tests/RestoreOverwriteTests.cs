using System.Text;
using Cairn.Cli.Tests.Infrastructure;
using Cairn.Testing.Trees;
using Cairn.Platform;

namespace Cairn.Cli.Tests;

/// <summary>
/// restore --overwrite into a folder that already holds an earlier restore of a restic-made snapshot, with files
/// edited in it: each mode replaces exactly what restic 0.17 documents it replaces.
/// </summary>
public sealed class RestoreOverwriteTests : IDisposable
{
    private static readonly Timestamp Future = new(2_050_000_000, 0);
    private static readonly Timestamp Past = new(1_000_000_000, 0);
    private readonly Workspace _workspace = new("cairn-overwrite-");

    public void Dispose() => _workspace.Dispose();

    [Theory]
    [InlineData("always", true, true, true)]
    [InlineData("if-changed", false, true, true)]
    [InlineData("if-newer", false, false, true)]
    [InlineData("never", false, false, false)]
    public async Task Each_overwrite_mode_replaces_the_edited_files_restic_documents_it_replaces(
        string mode, bool sameSizeAndTimeReplaced, bool newerReplaced, bool olderReplaced)
    {
        var (source, snapshot) = await BackUpWithResticAsync();
        var target = _workspace.Scratch.Combine("target");
        (await _workspace.Cairn.RunAsync("restore", snapshot, "--target", target)).ShouldSucceed();
        var restored = Workspace.Restored(target, source);

        // Same size, same mtime to the nanosecond: only a content check tells it apart.
        Edit(restored, "same-size-and-time.txt", "EDITED same size\n", PosixFileSystem.LStat(restored.Join("same-size-and-time.txt"u8)).ModifyTime);
        Edit(restored, "newer.txt", "edited later, longer than before\n", Future);
        Edit(restored, "older.txt", "edited, dated long ago\n", Past);
        var untouched = PosixFileSystem.LStat(restored.Join("untouched.txt"u8));
        File.Delete(restored.Join("missing.txt"u8).ToString());

        var run = (await _workspace.Cairn.RunAsync("restore", snapshot, "--target", target, "--overwrite", mode, "-v")).ShouldSucceed();

        Content(restored, "same-size-and-time.txt").Should().Be(sameSizeAndTimeReplaced ? "original: 16 byt\n" : "EDITED same size\n");
        Content(restored, "newer.txt").Should().Be(newerReplaced ? "newer: original\n" : "edited later, longer than before\n");
        Content(restored, "older.txt").Should().Be(olderReplaced ? "older: original\n" : "edited, dated long ago\n");
        Content(restored, "missing.txt").Should().Be("missing: original\n", "a file that is not there is restored in every mode");

        // A file whose content and metadata already match is not rewritten: it is still the same inode.
        PosixFileSystem.LStat(restored.Join("untouched.txt"u8)).Inode.Should().Be(untouched.Inode);
        Content(restored, "untouched.txt").Should().Be("untouched: original\n");

        var verbs = Listing(run.Stdout, source);
        verbs["/untouched.txt"].Should().Be("unchanged");
        verbs["/missing.txt"].Should().Be("restored");
        verbs["/older.txt"].Should().Be(olderReplaced ? "updated" : "unchanged");
        verbs["/same-size-and-time.txt"].Should().Be(sameSizeAndTimeReplaced ? "updated" : "unchanged");
        run.Stdout.Should().MatchRegex(@"(?m)^Summary: Restored \d+ files/dirs \([0-9.]+ [KMG]?i?B\) in \d+:\d\d, skipped \d+ files/dirs \([0-9.]+ [KMG]?i?B\)$");

        if (mode == "always")
        {
            // Everything replaced or kept: the target is the snapshot again, byte for byte and to the nanosecond.
            TreeComparer.Differences(source, restored).Should().BeEmpty();
        }
    }

    [Fact]
    public async Task A_new_target_is_made_owner_only_as_restic_makes_it_and_an_existing_one_keeps_its_mode()
    {
        var (_, snapshot) = await BackUpWithResticAsync();
        var byRestic = _workspace.Scratch.Combine("by-restic", "target");
        var byCairn = _workspace.Scratch.Combine("by-cairn", "target");
        (await _workspace.Restic.RunAsync("restore", snapshot, "--target", byRestic)).ShouldSucceed();
        (await _workspace.Cairn.RunAsync("restore", snapshot, "--target", byCairn)).ShouldSucceed();

        var resticMode = PosixFileSystem.LStat(RawPath.FromString(byRestic)).Permissions;
        PosixFileSystem.LStat(RawPath.FromString(byCairn)).Permissions.Should().Be(resticMode).And.Be(0x1C0u, "restic makes a new target 0700");

        var existing = _workspace.Scratch.Combine("existing");
        Directory.CreateDirectory(existing);
        PosixFileSystem.SetPermissions(RawPath.FromString(existing), 0x1ED);
        (await _workspace.Cairn.RunAsync("restore", snapshot, "--target", existing)).ShouldSucceed();
        PosixFileSystem.LStat(RawPath.FromString(existing)).Permissions.Should().Be(0x1EDu, "a folder that was there keeps its mode");
    }

    [Fact]
    public async Task An_unknown_overwrite_mode_is_refused_before_anything_is_restored()
    {
        var (_, snapshot) = await BackUpWithResticAsync();
        var target = _workspace.Scratch.Combine("target");
        (await _workspace.Cairn.RunAsync("restore", snapshot, "--target", target, "--overwrite", "sometimes"))
            .ShouldFailWith(ExitCodes.Error, "invalid --overwrite \"sometimes\"");
        Directory.Exists(target).Should().BeFalse();
    }

    private async Task<(RawPath Source, string Snapshot)> BackUpWithResticAsync()
    {
        var source = _workspace.Scratch.Raw.Join("source"u8);
        Directory.CreateDirectory(source.ToString());
        foreach (var (name, text) in new[]
                 {
                     ("same-size-and-time.txt", "original: 16 byt\n"), ("newer.txt", "newer: original\n"), ("older.txt", "older: original\n"),
                     ("untouched.txt", "untouched: original\n"), ("missing.txt", "missing: original\n"),
                 })
        {
            File.WriteAllText(source.Join(Encoding.UTF8.GetBytes(name)).ToString(), text);
        }

        (await _workspace.Restic.RunAsync("init")).ShouldSucceed();
        var backup = (await _workspace.Restic.RunAsync("backup", "--json", source.ToString())).ShouldSucceed();
        return (source, backup.Message("summary").GetProperty("snapshot_id").GetString()!);
    }

    private static void Edit(RawPath folder, string name, string text, Timestamp modified)
    {
        var path = folder.Join(Encoding.UTF8.GetBytes(name));
        File.WriteAllText(path.ToString(), text);
        PosixFileSystem.SetTimes(path, modified, modified);
    }

    private static string Content(RawPath folder, string name) => File.ReadAllText(folder.Join(Encoding.UTF8.GetBytes(name)).ToString());

    /// <summary>The -v lines ("verb path ..."), by path below the source folder.</summary>
    internal static Dictionary<string, string> Listing(string stdout, RawPath source)
    {
        var prefix = source.ToString();
        var verbs = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in stdout.Split('\n'))
        {
            var parts = line.Split(' ', 2, StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 2 && parts[0] is "restored" or "updated" or "unchanged" or "deleted")
            {
                var path = parts[1].Trim();
                var withSize = path.IndexOf(" with size ", StringComparison.Ordinal);
                path = withSize >= 0 ? path[..withSize] : path;
                if (path.StartsWith(prefix, StringComparison.Ordinal))
                {
                    verbs[path[prefix.Length..]] = parts[0];
                }
            }
        }

        return verbs;
    }
}
