using Cairn.Cli.Tests.Infrastructure;
using Cairn.Repository;
using Cairn.Storage;
using Cairn.Testing.Trees;

namespace Cairn.Cli.Tests;

/// <summary>Exit code 11: a fresh exclusive lock of a live process stops a backup; a shared one does not.</summary>
public sealed class LockTests : IDisposable
{
    private readonly Workspace _workspace = new("cairn-lock-");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _workspace.Dispose();

    private string SomeFile()
    {
        var path = _workspace.Scratch.Combine("file.txt");
        File.WriteAllText(path, "to back up");
        return path;
    }

    [Fact]
    public async Task A_backup_fails_with_11_while_another_live_process_holds_an_exclusive_lock()
    {
        await _workspace.InitAsync();
        var file = SomeFile();
        await using var repository = await ResticRepository.OpenAsync(new LocalObjectStore(_workspace.Repository), CairnCli.DefaultPassword, cancellationToken: Ct);
        var held = await RepositoryLock.AcquireAsync(repository, exclusive: true, Ct);

        var blocked = await _workspace.Cairn.RunAsync("backup", file);

        blocked.ExitCode.Should().Be(11, blocked.ToString());
        blocked.ShouldHaveNoStackTrace();
        blocked.StderrLines[0].Should().StartWith("Fatal: unable to create lock").And.Contain($"PID {Environment.ProcessId}");
        await held.DisposeAsync();
        (await _workspace.Cairn.RunAsync("backup", file)).ShouldSucceed();
    }

    [Fact]
    public async Task A_shared_lock_of_another_process_does_not_stop_a_backup()
    {
        await _workspace.InitAsync();
        var file = SomeFile();
        await using var repository = await ResticRepository.OpenAsync(new LocalObjectStore(_workspace.Repository), CairnCli.DefaultPassword, cancellationToken: Ct);
        await using var held = await RepositoryLock.AcquireAsync(repository, exclusive: false, Ct);

        (await _workspace.Cairn.RunAsync("backup", file)).ShouldSucceed();
    }
}
