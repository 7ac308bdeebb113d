using Cairn.Cli.Tests.Infrastructure;
using Cairn.Platform;
using Cairn.Testing.Trees;

namespace Cairn.Cli.Tests;

/// <summary>What backup reads besides its arguments: standard input, a command's output, and --files-from lists; restic judges.</summary>
public sealed class BackupInputTests : IDisposable
{
    private readonly Workspace _workspace = new("cairn-backup-input-");

    public void Dispose() => _workspace.Dispose();

    [Fact]
    public async Task Backup_stdin_is_restored_by_restic_byte_for_byte_under_the_name_given()
    {
        await _workspace.InitAsync();
        var input = _workspace.Scratch.Combine("input.bin");
        var bytes = new byte[3 * 1024 * 1024 + 17];
        new Random(7).NextBytes(bytes);
        await File.WriteAllBytesAsync(input, bytes, TestContext.Current.CancellationToken);

        var shell = CairnCli.ShellCommand("-r", _workspace.Repository, "--json", "backup", "--stdin", "--stdin-filename", "db.dump") + $" < '{input}'";
        var run = (await ProgramRunner.RunAsync("sh", ["-c", shell], _workspace.Cairn.Environment, cancellationToken: TestContext.Current.CancellationToken)).ShouldSucceed();
        var id = run.Message("summary").GetProperty("snapshot_id").GetString()!;

        var target = _workspace.Scratch.Combine("restored");
        (await _workspace.Restic.RunAsync("restore", id, "--target", target)).ShouldSucceed();
        (await File.ReadAllBytesAsync(Path.Combine(target, "db.dump"), TestContext.Current.CancellationToken)).Should().Equal(bytes);
        var snapshot = (await _workspace.Restic.RunAsync("snapshots", "--json", id)).ShouldSucceed().JsonLines().Single()[0];
        snapshot.GetProperty("paths")[0].GetString().Should().Be("/db.dump");
        (await _workspace.Restic.RunAsync("check")).ShouldSucceed();
    }

    [Fact]
    public async Task Backup_stdin_without_a_filename_calls_the_file_stdin()
    {
        await _workspace.InitAsync();
        var shell = "printf 'piped text' | " + CairnCli.ShellCommand("-r", _workspace.Repository, "backup", "--stdin");
        (await ProgramRunner.RunAsync("sh", ["-c", shell], _workspace.Cairn.Environment, cancellationToken: TestContext.Current.CancellationToken)).ShouldSucceed();

        (await _workspace.Restic.RunAsync("dump", "latest", "/stdin")).ShouldSucceed().Stdout.Should().Be("piped text");
    }

    [Fact]
    public async Task Stdin_from_command_backs_up_what_the_command_prints()
    {
        await _workspace.InitAsync();

        (await _workspace.Cairn.RunAsync("backup", "--stdin-from-command", "--stdin-filename", "out.txt", "--", "sh", "-c", "echo one; echo two")).ShouldSucceed();

        (await _workspace.Restic.RunAsync("dump", "latest", "/out.txt")).ShouldSucceed().Stdout.Should().Be("one\ntwo\n");
    }

    [Fact]
    public async Task Stdin_from_a_failing_command_exits_with_an_error_and_saves_no_snapshot()
    {
        await _workspace.InitAsync();

        (await _workspace.Cairn.RunAsync("backup", "--stdin-from-command", "--", "sh", "-c", "echo half of a dump; exit 3"))
            .ShouldFailWith(ExitCodes.Error, "exited with code 3");

        (await _workspace.Restic.RunAsync("snapshots", "--json")).ShouldSucceed().JsonLines().Single().GetArrayLength().Should().Be(0);
        (await _workspace.Restic.RunAsync("check")).ShouldSucceed();
    }

    [Fact]
    public async Task Stdin_together_with_paths_is_refused()
    {
        await _workspace.InitAsync();

        (await _workspace.Cairn.RunAsync("backup", "--stdin", _workspace.Scratch.Path))
            .ShouldFailWith(ExitCodes.Error, "--stdin was specified and files/dirs were listed as arguments");
    }

    /// <summary>A folder with the odd names of the brief: a space, a leading '#', a newline, bytes that are not UTF-8.</summary>
    private RawPath OddSource()
    {
        var source = _workspace.Scratch.Raw.Join("odd"u8);
        PosixFileSystem.CreateDirectory(source, 0x1ED);
        foreach (var name in new[] { "with space"u8.ToArray(), "#hash"u8.ToArray(), "new\nline"u8.ToArray(), [.. "caf"u8, 0xE9], "glob1"u8.ToArray(), "glob2"u8.ToArray(), "other"u8.ToArray() })
        {
            using var handle = PosixFileSystem.CreateFile(source.Join(name), 0x1A4);
            RandomAccess.Write(handle, name, 0);
        }

        return source;
    }

    private static byte[] Lines(params byte[][] lines) => [.. lines.SelectMany(l => l.Concat("\n"u8.ToArray()))];

    private async Task<string[]> ResticLsAsync() =>
        (await _workspace.Restic.RunAsync("ls", "latest")).ShouldSucceed().Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).ToArray();

    [Fact]
    public async Task Files_from_skips_comments_and_empty_lines_and_expands_globs()
    {
        var source = OddSource();
        await _workspace.InitAsync();
        var list = _workspace.Scratch.Combine("list.txt");
        await File.WriteAllBytesAsync(list, Lines("# a comment"u8.ToArray(), [], "#hash"u8.ToArray(), "with space"u8.ToArray(), "glob*"u8.ToArray(), [.. "caf"u8, 0xE9], "missing*"u8.ToArray()), TestContext.Current.CancellationToken);

        var run = (await _workspace.Cairn.RunInAsync(source.ToString(), "backup", "--files-from", list)).ShouldSucceed();

        run.Stderr.Should().Contain("missing*", "a glob that matches nothing is reported and skipped");
        (await ResticLsAsync()).Should().BeEquivalentTo(["/with space", "/glob1", "/glob2", "/caf\uFFFD"], "restic prints the byte 0xE9 as is, read back here as U+FFFD");
    }

    [Fact]
    public async Task Files_from_verbatim_takes_every_line_literally_even_one_starting_with_a_hash()
    {
        var source = OddSource();
        await _workspace.InitAsync();
        var list = _workspace.Scratch.Combine("list.txt");
        await File.WriteAllBytesAsync(list, Lines("#hash"u8.ToArray(), [], "with space"u8.ToArray(), [.. "caf"u8, 0xE9]), TestContext.Current.CancellationToken);

        (await _workspace.Cairn.RunInAsync(source.ToString(), "backup", "--files-from-verbatim", list)).ShouldSucceed();

        (await ResticLsAsync()).Should().BeEquivalentTo(["/#hash", "/with space", "/caf\uFFFD"]);
        var target = _workspace.Scratch.Combine("restored");
        (await _workspace.Restic.RunAsync("restore", "latest", "--target", target)).ShouldSucceed();
        PosixFileSystem.Exists(RawPath.FromString(target).Join([.. "caf"u8, 0xE9])).Should().BeTrue("the name's bytes went through unchanged");
    }

    [Fact]
    public async Task Files_from_raw_splits_on_nul_so_a_name_may_hold_a_newline()
    {
        var source = OddSource();
        await _workspace.InitAsync();
        var list = _workspace.Scratch.Combine("list.bin");
        await File.WriteAllBytesAsync(list, [.. "new\nline\0with space\0#hash\0"u8], TestContext.Current.CancellationToken);

        (await _workspace.Cairn.RunInAsync(source.ToString(), "backup", "--files-from-raw", list)).ShouldSucceed();

        var names = (await _workspace.Restic.RunAsync("ls", "--json", "latest")).ShouldSucceed().JsonLines()
            .Where(e => e.GetProperty("struct_type").GetString() == "node").Select(e => e.GetProperty("path").GetString()).ToList();
        names.Should().BeEquivalentTo(["/new\nline", "/with space", "/#hash"]);
    }

    [Fact]
    public async Task Files_from_and_arguments_add_up()
    {
        var source = OddSource();
        await _workspace.InitAsync();
        var list = _workspace.Scratch.Combine("list.txt");
        await File.WriteAllBytesAsync(list, "glob1\n"u8.ToArray(), TestContext.Current.CancellationToken);

        (await _workspace.Cairn.RunInAsync(source.ToString(), "backup", "--files-from", list, "other")).ShouldSucceed();

        (await ResticLsAsync()).Should().BeEquivalentTo(["/glob1", "/other"]);
    }
}
