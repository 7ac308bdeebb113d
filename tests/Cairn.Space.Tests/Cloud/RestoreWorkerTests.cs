using System.Text;
using Cairn.Platform;
using Cairn.Repository;
using Cairn.Space.CloudRestore;
using Cairn.Restore.Worker;
using Cairn.Space.CloudRestore.Worker;
using Cairn.Storage;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cairn.Space.Tests.Cloud;

/// <summary>
/// The restore worker process as the local driver starts it: the password reaches it over its standard input only
/// (never its arguments or environment, read back from /proc while it runs), it runs as the restore user, and a
/// wrong password comes back as the driver's rejection.
/// </summary>
public sealed class RestoreWorkerTests : IAsyncLifetime
{
    private const string Password = "worker password 7f3a";

    private readonly string _root = Path.Combine(Path.GetTempPath(), "cairn-space-tests", "worker-" + Guid.NewGuid().ToString("N"));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string Repo => Path.Combine(_root, "repo");

    private string Disk => Path.Combine(_root, "disk");

    public async ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(Disk);
        var options = new RepositoryOptions { Kdf = KdfParameters.Fast };
        await using var repository = await ResticRepository.InitAsync(new LocalObjectStore(Repo), Password, options, Ct);
        var account = new CloudRestoreSettings().ResolveAccount();
        if (account.DropsPrivileges)
        {
            PosixFileSystem.SetOwner(RawPath.FromString(Disk), account.Uid, account.Gid);
            PosixFileSystem.SetPermissions(RawPath.FromString(Disk), 0x1C0);
            // The folder above the disk is root's alone: the worker reaches the disk through its working directory only.
            PosixFileSystem.SetPermissions(RawPath.FromString(_root), 0x1C0);
        }
    }

    public ValueTask DisposeAsync()
    {
        Directory.Delete(_root, recursive: true);
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task The_password_is_in_neither_the_arguments_nor_the_environment_of_the_restore_process()
    {
        var account = new CloudRestoreSettings().ResolveAccount();
        var start = RestoreWorkerCommand.Build(Disk, account);
        start.ArgumentList.Should().NotContain(a => a.Contains(Password, StringComparison.Ordinal));
        start.Environment.Values.Should().NotContain(v => v != null && v.Contains(Password, StringComparison.Ordinal));
        start.WorkingDirectory.Should().Be(Disk);
        var store = new HeldStore(new LocalObjectStore(Repo));

        await using var worker = await RestoreWorkerProcess.StartAsync(start, store, new StartMessage("latest", Password, 2), NullLogger.Instance, Ct);
        await store.FirstCall.WaitAsync(TimeSpan.FromSeconds(60), Ct);

        // The child is running (its first call waits for an answer): what the kernel shows of it.
        var proc = $"/proc/{worker.ProcessId}";
        var commandLine = Encoding.UTF8.GetString(await File.ReadAllBytesAsync($"{proc}/cmdline", Ct));
        var environment = Encoding.UTF8.GetString(await File.ReadAllBytesAsync($"{proc}/environ", Ct));
        commandLine.Should().Contain(RestoreWorker.Verb).And.NotContain(Password);
        environment.Should().NotContain(Password);
        var uids = (await File.ReadAllLinesAsync($"{proc}/status", Ct)).Single(l => l.StartsWith("Uid:", StringComparison.Ordinal));
        uids.Split('\t', StringSplitOptions.RemoveEmptyEntries).Skip(1).Should().AllBe(account.Uid.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "real, effective, saved and file-system uid are all the restore user's");

        store.Release();
        var opening = () => worker.WaitOpenedAsync(Ct);
        (await opening.Should().ThrowAsync<CloudRestoreFailedException>("the repository has no snapshot to restore")).Which.Message.Should().NotContain(Password);
        store.Locks.Should().BeEmpty("the worker's lock is gone once it ended");
    }

    [Fact]
    public async Task A_wrong_password_is_the_drivers_rejection()
    {
        var start = RestoreWorkerCommand.Build(Disk, new CloudRestoreSettings().ResolveAccount());
        await using var worker = await RestoreWorkerProcess.StartAsync(start, new LocalObjectStore(Repo), new StartMessage("latest", "not it", 2), NullLogger.Instance, Ct);

        var opening = () => worker.WaitOpenedAsync(Ct);

        await opening.Should().ThrowAsync<BackupPasswordRejectedException>();
    }

    [Fact]
    public async Task Cancelling_the_job_kills_the_restore_process()
    {
        var start = RestoreWorkerCommand.Build(Disk, new CloudRestoreSettings().ResolveAccount());
        var store = new HeldStore(new LocalObjectStore(Repo));
        await using var worker = await RestoreWorkerProcess.StartAsync(start, store, new StartMessage("latest", Password, 2), NullLogger.Instance, Ct);
        await store.FirstCall.WaitAsync(TimeSpan.FromSeconds(60), Ct);
        using var job = CancellationTokenSource.CreateLinkedTokenSource(Ct);

        var opening = worker.WaitOpenedAsync(job.Token);
        await job.CancelAsync();

        await FluentActions.Awaiting(() => opening).Should().ThrowAsync<OperationCanceledException>();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!worker.HasExited && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50, Ct);
        }

        worker.HasExited.Should().BeTrue("the job's cancellation killed the child");
        store.Release();
    }

    [Fact]
    public async Task The_restore_process_reads_the_repository_in_the_one_reader_order()
    {
        var source = Path.Combine(Path.GetTempPath(), "cairn-space-tests", "worker-source-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(source);
        try
        {
            await File.WriteAllTextAsync(Path.Combine(source, "note.txt"), "restored by the worker", Ct);
            await using (var repository = await ResticRepository.OpenAsync(new LocalObjectStore(Repo), Password, new RepositoryOptions { Kdf = KdfParameters.Fast }, Ct))
            {
                await new Cairn.Backup.Archiver(new Cairn.Backup.RepositoryBackupTarget(repository))
                    .RunAsync(new Cairn.Backup.BackupOptions { Paths = [RawPath.FromString(source)] }, null, Ct);
            }
        }
        finally
        {
            Directory.Delete(source, recursive: true);
        }

        var start = RestoreWorkerCommand.Build(Disk, new CloudRestoreSettings().ResolveAccount());
        var store = new Cairn.Storage.Testing.RecordingObjectStore(new LocalObjectStore(Repo));
        await using (var worker = await RestoreWorkerProcess.StartAsync(start, store, new StartMessage("latest", Password, 2), NullLogger.Instance, Ct))
        {
            await worker.WaitOpenedAsync(Ct);
            await worker.WaitVerifiedAsync(Ct);
        }

        // The lock file before the snapshot, the snapshot before the index (docs/format.md, "Ordering").
        store.Calls.Should().Contain(c => c.Kind == ObjectKind.Index);
        Cairn.Storage.Testing.ReadOrder.Violation(store.Calls).Should().BeNull();
    }

    /// <summary>A store whose calls wait until released, so the worker stays alive and visible in /proc.</summary>
    private sealed class HeldStore(IObjectStore inner) : IObjectStore
    {
        private readonly TaskCompletionSource _first = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task FirstCall => _first.Task;

        public string Location => inner.Location;

        public IEnumerable<string> Locks => Directory.Exists(Path.Combine(inner.Location, "locks"))
            ? Directory.EnumerateFiles(Path.Combine(inner.Location, "locks")) : [];

        public void Release() => _released.TrySetResult();

        public Task CreateAsync(CancellationToken cancellationToken = default) => inner.CreateAsync(cancellationToken);

        public async Task SaveAsync(ObjectName name, ObjectContent content, CancellationToken cancellationToken = default)
        {
            await HoldAsync(cancellationToken);
            await inner.SaveAsync(name, content, cancellationToken);
        }

        public async Task<ObjectInfo> StatAsync(ObjectName name, CancellationToken cancellationToken = default)
        {
            await HoldAsync(cancellationToken);
            return await inner.StatAsync(name, cancellationToken);
        }

        public async Task ReadAtAsync(ObjectName name, long offset, Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            await HoldAsync(cancellationToken);
            await inner.ReadAtAsync(name, offset, buffer, cancellationToken);
        }

        public async Task<Stream> OpenReadAsync(ObjectName name, CancellationToken cancellationToken = default)
        {
            await HoldAsync(cancellationToken);
            return await inner.OpenReadAsync(name, cancellationToken);
        }

        public async IAsyncEnumerable<ObjectInfo> ListAsync(ObjectKind kind, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            await HoldAsync(cancellationToken);
            await foreach (var info in inner.ListAsync(kind, cancellationToken))
            {
                yield return info;
            }
        }

        public async Task DeleteAsync(ObjectName name, CancellationToken cancellationToken = default)
        {
            await HoldAsync(cancellationToken);
            await inner.DeleteAsync(name, cancellationToken);
        }

        public ValueTask DisposeAsync() => inner.DisposeAsync();

        private Task HoldAsync(CancellationToken cancellationToken)
        {
            _first.TrySetResult();
            return _released.Task.WaitAsync(cancellationToken);
        }
    }
}
