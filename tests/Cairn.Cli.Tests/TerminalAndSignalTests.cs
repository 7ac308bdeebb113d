using Cairn.Cli.Tests.Infrastructure;
using Cairn.Testing.Trees;

namespace Cairn.Cli.Tests;

/// <summary>A live progress line on a terminal (a pseudo-terminal made by script(1)) and none on a pipe; Ctrl+C ends a backup with 130.</summary>
public sealed class TerminalAndSignalTests : IDisposable
{
    private readonly Workspace _workspace = new("cairn-terminal-");

    public void Dispose() => _workspace.Dispose();

    /// <summary>A sparse file: big enough to take a while to read, yet it takes no disk space.</summary>
    private string SparseFile(long size)
    {
        var path = _workspace.Scratch.Combine("sparse.bin");
        using var stream = File.Create(path);
        stream.SetLength(size);
        return path;
    }

    private Dictionary<string, string> Environment() =>
        new(_workspace.Cairn.Environment) { ["CAIRN_REPOSITORY"] = _workspace.Repository, ["TERM"] = "xterm" };

    [Fact]
    public async Task On_a_terminal_a_backup_shows_a_live_progress_line_with_bytes_rate_and_eta()
    {
        await _workspace.InitAsync();
        var file = SparseFile(768L * 1024 * 1024);

        var result = await ProgramRunner.RunAsync(
            "script",
            ["-qfec", CairnCli.ShellCommand("backup", file), "/dev/null"],
            Environment(),
            cancellationToken: TestContext.Current.CancellationToken);

        result.ShouldSucceed();
        var redraws = result.Stdout.Split('\r').Where(part => part.Contains("/s", StringComparison.Ordinal)).ToList();
        redraws.Should().NotBeEmpty(result.ToString());
        redraws.Should().Contain(line => line.Contains("ETA", StringComparison.Ordinal) && line.Contains("/ 768.000 MiB", StringComparison.Ordinal));
    }

    [Fact]
    public async Task On_a_pipe_the_same_backup_prints_no_progress_line()
    {
        await _workspace.InitAsync();
        var file = SparseFile(768L * 1024 * 1024);

        var result = (await _workspace.Cairn.RunAsync("backup", file)).ShouldSucceed();

        result.Stdout.Should().Contain("saved").And.NotContain("\r").And.NotContain("ETA");
        result.Stderr.Should().NotContain("\r");
    }

    [Fact]
    public async Task An_interrupted_backup_exits_with_130_and_leaves_neither_lock_nor_snapshot()
    {
        await _workspace.InitAsync();
        var file = SparseFile(64L * 1024 * 1024 * 1024);
        var locks = Path.Combine(_workspace.Repository, "locks");
        var backup = ProgramRunner.Start(CairnCli.Program, CairnCli.Arguments(["backup", file]), Environment(), cancellationToken: TestContext.Current.CancellationToken);

        // Its lock file shows the backup has opened the repository; a second later it is deep in reading a file
        // whose chunks (zeros) are all known already. Interrupt it then, as Ctrl+C would.
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!Directory.EnumerateFiles(locks).Any() && !backup.Completion.IsCompleted && waited.Elapsed < TimeSpan.FromSeconds(60))
        {
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }

        await Task.Delay(TimeSpan.FromSeconds(1), TestContext.Current.CancellationToken);
        (await ProgramRunner.RunAsync("kill", ["-INT", backup.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)], new Dictionary<string, string>(),
            cancellationToken: TestContext.Current.CancellationToken)).ShouldSucceed();
        var result = await backup.Completion;

        result.ShouldFailWith(130, "interrupted");
        Directory.EnumerateFiles(locks).Should().BeEmpty();
        Directory.EnumerateFiles(Path.Combine(_workspace.Repository, "snapshots")).Should().BeEmpty();
    }
}
