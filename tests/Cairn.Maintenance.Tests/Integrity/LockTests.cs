using System.Diagnostics;
using Cairn.Maintenance.Tests.Forget;
using Cairn.Repository;
using Cairn.Repository.Format;
using Cairn.Storage;

namespace Cairn.Maintenance.Tests.Integrity;

/// <summary>restic's lock protocol: stale locks of dead processes are recognized, fresh locks of live ones block.</summary>
public sealed class LockTests : IDisposable
{
    private readonly string _work = TestTrees.NewTemp("locks");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => TestTrees.Delete(_work);

    private async Task<string> NewRepositoryAsync()
    {
        var repo = Path.Combine(_work, "repo");
        (await ExternalProcess.CairnAsync(repo, "init")).ExitCode.Should().Be(0);
        return repo;
    }

    /// <summary>Writes a lock file as another process on this host would, through the engine's own format code.</summary>
    private static async Task PlantLockAsync(string repo, int pid, bool exclusive, TimeSpan age)
    {
        await using var repository = await ResticRepository.OpenAsync(new LocalObjectStore(repo), ExternalProcess.Password, cancellationToken: Ct);
        var file = new LockFile
        {
            Time = NodeTime.FromDateTimeOffset(DateTimeOffset.Now - age),
            Exclusive = exclusive,
            Hostname = Environment.MachineName,
            Username = "someone",
            Pid = pid,
        };
        await repository.SaveJsonAsync(ObjectKind.Lock, file, Ct);
    }

    private static async Task<int> DeadProcessIdAsync()
    {
        using var process = Process.Start("sleep", "60");
        var pid = process.Id;
        process.Kill();
        await process.WaitForExitAsync(Ct);
        return pid;
    }

    [Fact]
    public async Task A_lock_left_by_a_killed_process_on_this_host_is_stale_so_prune_runs_and_unlock_removes_it()
    {
        var repo = await NewRepositoryAsync();
        await PlantLockAsync(repo, await DeadProcessIdAsync(), exclusive: true, TimeSpan.Zero);

        var prune = await ExternalProcess.CairnAsync(repo, "prune");
        prune.ExitCode.Should().Be(0, prune.Stderr);
        var unlock = await ExternalProcess.CairnAsync(repo, "unlock");
        unlock.ExitCode.Should().Be(0);
        unlock.Stdout.Should().Contain("removed 1 locks");
        Directory.EnumerateFiles(Path.Combine(repo, "locks")).Should().BeEmpty();
    }

    [Fact]
    public async Task A_fresh_lock_of_a_live_process_blocks_prune_with_exit_11_and_only_remove_all_removes_it()
    {
        var repo = await NewRepositoryAsync();
        using var holder = Process.Start("sleep", "120");
        try
        {
            await PlantLockAsync(repo, holder.Id, exclusive: false, TimeSpan.FromMinutes(1));

            var prune = await ExternalProcess.CairnAsync(repo, "prune");
            prune.ExitCode.Should().Be(11);
            prune.Stderr.Should().Contain("locked").And.Contain($"PID {holder.Id}").And.NotContain("   at ");

            (await ExternalProcess.CairnAsync(repo, "unlock")).Stdout.Should().Contain("no stale locks");
            Directory.EnumerateFiles(Path.Combine(repo, "locks")).Should().HaveCount(1);
            (await ExternalProcess.CairnAsync(repo, "unlock", "--remove-all")).ExitCode.Should().Be(0);
            Directory.EnumerateFiles(Path.Combine(repo, "locks")).Should().BeEmpty();
            (await ExternalProcess.CairnAsync(repo, "prune")).ExitCode.Should().Be(0);
        }
        finally
        {
            holder.Kill();
        }
    }

    [Fact]
    public async Task A_lock_older_than_30_minutes_is_stale_even_when_its_process_lives()
    {
        var repo = await NewRepositoryAsync();
        using var holder = Process.Start("sleep", "120");
        try
        {
            await PlantLockAsync(repo, holder.Id, exclusive: true, TimeSpan.FromMinutes(31));
            var prune = await ExternalProcess.CairnAsync(repo, "prune");
            prune.ExitCode.Should().Be(0, prune.Stderr);
        }
        finally
        {
            holder.Kill();
        }
    }

    [Fact]
    public async Task Restic_is_blocked_by_an_exclusive_lock_cairn_holds_and_cairn_by_restics()
    {
        var repo = await NewRepositoryAsync();
        using var holder = Process.Start("sleep", "120");
        try
        {
            await PlantLockAsync(repo, holder.Id, exclusive: true, TimeSpan.Zero);
            var resticBackup = await ExternalProcess.ResticAsync(repo, "backup", _work);
            resticBackup.ExitCode.Should().NotBe(0);
            (resticBackup.Stdout + resticBackup.Stderr).Should().Contain("locked");
        }
        finally
        {
            holder.Kill();
        }
    }
}
