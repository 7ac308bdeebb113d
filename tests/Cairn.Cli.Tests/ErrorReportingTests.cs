using Cairn.Cli.Tests.Infrastructure;
using Cairn.Testing.Trees;
using Cairn.Platform;

namespace Cairn.Cli.Tests;

/// <summary>Issue 2, point 6: each kind of bad input gets one clear line and restic's exit code, never a stack trace.</summary>
public sealed class ErrorReportingTests : IDisposable
{
    private readonly Workspace _workspace = new("cairn-errors-");

    public void Dispose() => _workspace.Dispose();

    private async Task<RawPath> BackedUpSmallTreeAsync()
    {
        var source = _workspace.Scratch.Raw.Join("source"u8);
        var tree = new TreeBuilder(source);
        var bytes = new byte[300_000];
        new Random(41).NextBytes(bytes);
        tree.File(source.Join("data.bin"u8), bytes, new EntryMetadata());
        tree.File(source.Join("note.txt"u8), "note"u8, new EntryMetadata());
        tree.Finish();
        await _workspace.InitAsync();
        await _workspace.BackUpAsync(source.ToString());
        return source;
    }

    [Fact]
    public async Task A_read_concurrency_below_one_is_refused_and_one_reader_finds_the_same_chunks()
    {
        var source = await BackedUpSmallTreeAsync();

        (await _workspace.Cairn.RunAsync("backup", "--read-concurrency", "0", source.ToString())).ShouldFailWith(1, "--read-concurrency must be at least 1");
        var summary = (await _workspace.Cairn.RunAsync("--json", "backup", "--force", "--read-concurrency", "1", source.ToString())).ShouldSucceed().Message("summary");
        summary.GetProperty("total_files_processed").GetInt64().Should().Be(2);
        summary.GetProperty("data_added").GetInt64().Should().Be(0, "one reader cuts the files into the chunks two readers stored");
    }

    [Fact]
    public async Task A_wrong_password_exits_with_12()
    {
        await _workspace.InitAsync();

        var result = await new CairnCli(_workspace.Repository, "not the password").RunAsync("snapshots");

        result.ShouldFailWith(12, "wrong password");
    }

    [Theory]
    [InlineData("snapshots")]
    [InlineData("backup")]
    [InlineData("restore")]
    public async Task A_location_without_a_repository_exits_with_10(string command)
    {
        Directory.CreateDirectory(_workspace.Repository);
        var target = _workspace.Scratch.Combine("target");
        string[] arguments = command switch
        {
            "backup" => ["backup", _workspace.Repository],
            "restore" => ["restore", "latest", "--target", target],
            _ => [command],
        };

        var result = await _workspace.Cairn.RunAsync(arguments);

        result.ShouldFailWith(10, "repository does not exist");
        Directory.Exists(target).Should().BeFalse();
    }

    [Theory]
    [InlineData("snapshots", "flipped")]
    [InlineData("snapshots", "truncated")]
    [InlineData("index", "flipped")]
    [InlineData("index", "truncated")]
    [InlineData("data", "flipped")]
    [InlineData("data", "truncated")]
    public async Task A_damaged_repository_file_exits_with_1_and_the_message_names_it(string folder, string damage)
    {
        await BackedUpSmallTreeAsync();
        var file = Directory.EnumerateFiles(Path.Combine(_workspace.Repository, folder), "*", SearchOption.AllDirectories)
            .OrderByDescending(f => new FileInfo(f).Length).First();
        PosixFileSystem.SetPermissions(RawPath.FromString(file), 0x180); // stored files are 0400
        Damage(file, damage);

        var result = await _workspace.Cairn.RunAsync("restore", "latest", "--target", _workspace.Scratch.Combine("target"));

        result.ShouldFailWith(1, Path.GetFileName(file));
    }

    private static void Damage(string file, string damage)
    {
        using var stream = new FileStream(file, FileMode.Open, FileAccess.ReadWrite);
        if (damage == "truncated")
        {
            stream.SetLength(stream.Length / 2);
            return;
        }

        // Flip bytes in the middle, inside the encrypted content, so only authentication can notice.
        var middle = stream.Length / 2;
        var buffer = new byte[8];
        stream.Position = middle;
        stream.ReadExactly(buffer);
        for (var i = 0; i < buffer.Length; i++)
        {
            buffer[i] ^= 0x5a;
        }

        stream.Position = middle;
        stream.Write(buffer);
    }

    [Fact]
    public async Task Unreadable_source_files_are_each_warned_about_the_backup_goes_on_and_exits_with_3()
    {
        // Root reads everything, so the backup runs as nobody; the repository is nobody's too.
        const uint Nobody = 65534;
        var top = _workspace.Scratch.Raw;
        PosixFileSystem.SetPermissions(top, 0x1ED);
        Directory.CreateDirectory(_workspace.Repository);
        PosixFileSystem.SetOwner(RawPath.FromString(_workspace.Repository), Nobody, Nobody);
        var source = top.Join("source"u8);
        var tree = new TreeBuilder(source);
        tree.File(source.Join("readable"u8), "fine"u8, new EntryMetadata { Permissions = 0x1A4 });
        tree.File(source.Join("secret"u8), "hidden"u8, new EntryMetadata { Permissions = 0 });
        var closed = tree.Directory(source.Join("closed"u8), new EntryMetadata { Permissions = 0 });
        tree.File(closed.Join("inside"u8), "hidden too"u8, new EntryMetadata { Permissions = 0x1A4 });
        tree.File(source.Join("also readable"u8), "fine too"u8, new EntryMetadata { Permissions = 0x1A4 });
        tree.Finish();
        (await _workspace.Cairn.RunAsUserAsync(Nobody, Nobody, "init")).ShouldSucceed();

        var result = await _workspace.Cairn.RunAsUserAsync(Nobody, Nobody, "backup", source.ToString());

        result.ExitCode.Should().Be(3, result.ToString());
        result.ShouldHaveNoStackTrace();
        result.StderrLines.Where(l => l.Contains("Permission denied", StringComparison.Ordinal)).Should().HaveCount(2, result.ToString())
            .And.Contain(l => l.Contains($"{source}/secret", StringComparison.Ordinal))
            .And.Contain(l => l.Contains($"{source}/closed", StringComparison.Ordinal));
        var listing = (await _workspace.Cairn.RunAsync("ls", "latest")).ShouldSucceed().Stdout.Split('\n');
        listing.Should().Contain([$"{source}/readable", $"{source}/also readable"]).And.NotContain($"{source}/secret");
    }
}
