using Cairn.Platform;
using Cairn.Storage;
using Cairn.Space.Backups.Stores;
using Cairn.Restore.Worker;
using Cairn.Space.CloudRestore.Worker;
namespace Cairn.Space.CloudRestore;

/// <summary>
/// The built-in driver: the "machine" is a folder on the Space host, <c>{data}/cloud/{instanceId}/disk</c>. The restore
/// never runs in this process: a child process (<see cref="RestoreWorker"/>) does it, as the unprivileged restore user
/// when Space is privileged, with the foreign-snapshot policy (no devices, FIFOs, owners or setuid bits), reading the
/// task's repository through this process (<see cref="TaskStoreGate"/>). The disk is 0700 and owned by that user.
/// </summary>
public sealed class LocalCloudDriver(SpaceSettings settings, CloudRestoreSettings restoreSettings, IRepositoryStorage storage, ILogger<LocalCloudDriver> logger)
    : ICloudDriver
{
    public const string DriverName = "local";

    /// <summary>The disk folder's permissions: its owner (the restore user) only.</summary>
    private const uint DiskPermissions = 0x1C0; // 0700

    public string Name => DriverName;

    private string CloudRoot => Path.Combine(settings.DataPath, "cloud");

    public Task<CloudMachine> ProvisionAsync(CloudMachineRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        cancellationToken.ThrowIfCancellationRequested();
        var disk = Path.Combine(MachineFolder(request.InstanceId), "disk");
        Directory.CreateDirectory(disk); // a second call finds the same disk
        PrepareDisk(disk, restoreSettings.ResolveAccount());
        return Task.FromResult(new CloudMachine(request.InstanceId, disk, request.Choice.Provider.Id));
    }

    public async Task<ICloudRestore> OpenBackupAsync(CloudMachine machine, BackupSource source, string password, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(machine);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentException.ThrowIfNullOrEmpty(password);
        var account = restoreSettings.ResolveAccount();

        // A restore cut short by a restart left part of the tree: start again on an empty disk.
        LocalDisk.Empty(machine.Disk);
        PrepareDisk(machine.Disk, account);
        var start = RestoreWorkerCommand.Build(machine.Disk, account);
        var message = new StartMessage(source.SnapshotId, password, Math.Max(2, Environment.ProcessorCount));
        var store = ThrottledObjectStore.Wrap(storage.Open(source.TaskInstanceId, source.TaskId), null, restoreSettings.ReadBytesPerSecond);
        var worker = await RestoreWorkerProcess.StartAsync(start, store, message, logger, cancellationToken)
            .ConfigureAwait(false);
        try
        {
            await worker.WaitOpenedAsync(cancellationToken).ConfigureAwait(false);
            return new LocalCloudRestore(worker);
        }
        catch
        {
            await worker.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public Task DestroyAsync(CloudMachine machine, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(machine);
        cancellationToken.ThrowIfCancellationRequested();
        LocalDisk.Delete(MachineFolder(machine.InstanceId));
        return Task.CompletedTask;
    }

    private string MachineFolder(Guid instanceId) => Path.Combine(CloudRoot, instanceId.ToString("N"));

    /// <summary>The disk belongs to the restore user, 0700: the child restores into it, nobody else looks in.</summary>
    private static void PrepareDisk(string disk, RestoreAccount account)
    {
        var path = RawPath.FromString(disk);
        if (account.DropsPrivileges)
        {
            PosixFileSystem.SetOwner(path, account.Uid, account.Gid);
        }

        PosixFileSystem.SetPermissions(path, DiskPermissions);
    }

    private sealed class LocalCloudRestore(RestoreWorkerProcess worker) : ICloudRestore
    {
        public async Task<RestoreReport> RestoreAndVerifyAsync(CancellationToken cancellationToken)
        {
            var verified = await worker.WaitVerifiedAsync(cancellationToken).ConfigureAwait(false);
            return new RestoreReport(verified.Files, verified.Directories, verified.Bytes);
        }

        public ValueTask DisposeAsync() => worker.DisposeAsync();
    }
}
