using Cairn.Cli.Tests.Infrastructure;
using Cairn.Testing.Trees;

namespace Cairn.Cli.Tests;

/// <summary>What backup leaves out: cache folders, tagged folders, large files, patterns without case, other file systems; restic lists what is in.</summary>
public sealed class BackupFilterTests : IDisposable
{
    private readonly Workspace _workspace = new("cairn-backup-filter-");

    public void Dispose() => _workspace.Dispose();

    private string Source => _workspace.Scratch.Combine("src");

    private void Write(string relative, string content)
    {
        var path = Path.Combine(Source, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
    }

    private async Task<string[]> ResticLsAsync() =>
        (await _workspace.Restic.RunAsync("ls", "latest")).ShouldSucceed().Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Where(p => p.StartsWith(Source, StringComparison.Ordinal)).Select(p => p[Source.Length..]).ToArray();

    [Fact]
    public async Task Exclude_caches_keeps_only_the_tag_file_of_a_folder_with_the_standard_signature()
    {
        Write("cache/CACHEDIR.TAG", "Signature: 8a477f597d28d172789f06886806bc55\n# a cache\n");
        Write("cache/blob", "cached");
        Write("fake/CACHEDIR.TAG", "Signature: not the standard one");
        Write("fake/kept", "kept");
        await _workspace.InitAsync();

        (await _workspace.Cairn.RunAsync("backup", "--exclude-caches", Source)).ShouldSucceed();

        (await ResticLsAsync()).Should().BeEquivalentTo(["", "/cache", "/cache/CACHEDIR.TAG", "/fake", "/fake/CACHEDIR.TAG", "/fake/kept"]);
    }

    [Fact]
    public async Task Exclude_if_present_checks_the_header_when_one_is_given()
    {
        Write("tagged/.nobackup", "SKIP this folder");
        Write("tagged/data", "x");
        Write("wrong/.nobackup", "something else");
        Write("wrong/data", "x");
        Write("any/.ignoreme", "");
        Write("any/data", "x");
        await _workspace.InitAsync();

        (await _workspace.Cairn.RunAsync("backup", "--exclude-if-present", ".nobackup:SKIP", "--exclude-if-present", ".ignoreme", Source)).ShouldSucceed();

        (await ResticLsAsync()).Should().BeEquivalentTo(
            ["", "/any", "/any/.ignoreme", "/tagged", "/tagged/.nobackup", "/wrong", "/wrong/.nobackup", "/wrong/data"]);
    }

    [Fact]
    public async Task Exclude_larger_than_drops_files_above_the_size_in_restics_units()
    {
        Write("small", new string('s', 1024));
        Write("exact", new string('e', 2048));
        Write("large", new string('l', 2049));
        await _workspace.InitAsync();

        (await _workspace.Cairn.RunAsync("backup", "--exclude-larger-than", "2k", Source)).ShouldSucceed();

        (await ResticLsAsync()).Should().BeEquivalentTo(["", "/small", "/exact"]);
        (await _workspace.Cairn.RunAsync("backup", "--exclude-larger-than", "2q", Source)).ShouldFailWith(ExitCodes.Error, "invalid size \"2q\"");
    }

    [Fact]
    public async Task Iexclude_and_iexclude_file_ignore_case_while_exclude_does_not()
    {
        Write("Photo.JPG", "p");
        Write("notes.Txt", "n");
        Write("Build/out", "o");
        Write("keep.md", "k");
        Write("CASE.tmp", "c");
        var patterns = _workspace.Scratch.Combine("ipatterns");
        File.WriteAllText(patterns, "# comment\n*.txt\n");
        await _workspace.InitAsync();

        (await _workspace.Cairn.RunAsync("backup", "--iexclude", "*.jpg", "--iexclude", "build", "--iexclude-file", patterns, "--exclude", "*.TMP", Source)).ShouldSucceed();

        (await ResticLsAsync()).Should().BeEquivalentTo(["", "/keep.md", "/CASE.tmp"], "--exclude stays case-sensitive");
    }

    [Fact]
    public async Task One_file_system_keeps_a_mount_point_empty_and_does_not_cross_into_it()
    {
        Write("here", "h");
        var mountPoint = Path.Combine(Source, "mnt");
        Directory.CreateDirectory(mountPoint);
        var mount = await RunAsync("mount", "-t", "tmpfs", "-o", "size=1m", "cairn-test", mountPoint);
        Assert.SkipWhen(mount.ExitCode != 0, $"cannot mount a tmpfs here (not root, or no CAP_SYS_ADMIN in this container): {mount.Stderr.Trim()}");
        try
        {
            File.WriteAllText(Path.Combine(mountPoint, "elsewhere"), "e");
            await _workspace.InitAsync();

            (await _workspace.Cairn.RunAsync("backup", "-x", Source)).ShouldSucceed();
            (await ResticLsAsync()).Should().BeEquivalentTo(["", "/here", "/mnt"]);

            (await _workspace.Cairn.RunAsync("backup", Source)).ShouldSucceed();
            (await ResticLsAsync()).Should().Contain("/mnt/elsewhere", "without -x the tmpfs is backed up");
        }
        finally
        {
            await RunAsync("umount", mountPoint);
        }
    }

    private static Task<ProgramResult> RunAsync(string program, params string[] arguments) =>
        ProgramRunner.RunAsync(program, arguments, new Dictionary<string, string>(), cancellationToken: TestContext.Current.CancellationToken);
}
