using Cairn.Repository;
using Cairn.Restore;
using Cairn.Space.Storage;

namespace Cairn.Space.Cloud;

/// <summary>
/// The built-in driver: the "machine" is a folder on the Space host, <c>{data}/cloud/{instanceId}/disk</c>, and the
/// restore runs in this process with the Cairn engine, reading the task's repository straight from its store.
/// </summary>
public sealed class LocalCloudDriver(SpaceSettings settings, IRepositoryStorage storage) : ICloudDriver
{
    public const string DriverName = "local";

    public string Name => DriverName;

    private string CloudRoot => Path.Combine(settings.DataPath, "cloud");

    public Task<CloudMachine> ProvisionAsync(CloudMachineRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        cancellationToken.ThrowIfCancellationRequested();
        var disk = Path.Combine(MachineFolder(request.InstanceId), "disk");
        Directory.CreateDirectory(disk); // a second call finds the same disk
        return Task.FromResult(new CloudMachine(request.InstanceId, disk));
    }

    public async Task<ICloudRestore> OpenBackupAsync(CloudMachine machine, BackupSource source, string password, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(machine);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentException.ThrowIfNullOrEmpty(password);
        var store = storage.Open(source.TaskInstanceId, source.TaskId);
        Repository.Repository repository;
        try
        {
            repository = await Repository.Repository.OpenAsync(store, password, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (WrongPasswordException)
        {
            await store.DisposeAsync().ConfigureAwait(false);
            throw new BackupPasswordRejectedException();
        }
        catch
        {
            await store.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        try
        {
            // A shared lock, as restic takes to restore: the instance may keep backing up, but no prune runs under us.
            var repositoryLock = await RepositoryLock.AcquireAsync(repository, exclusive: false, TimeSpan.FromMinutes(1), cancellationToken)
                .ConfigureAwait(false);
            try
            {
                await repository.LoadIndexAsync(cancellationToken).ConfigureAwait(false);
                var (_, snapshot) = await SnapshotFinder.FindAsync(repository, source.SnapshotId, cancellationToken: cancellationToken).ConfigureAwait(false);
                return new LocalCloudRestore(repository, repositoryLock, snapshot.Tree, machine.Disk);
            }
            catch
            {
                await repositoryLock.DisposeAsync().ConfigureAwait(false);
                throw;
            }
        }
        catch
        {
            await repository.DisposeAsync().ConfigureAwait(false);
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

    private sealed class LocalCloudRestore(Repository.Repository repository, RepositoryLock repositoryLock, Id tree, string disk) : ICloudRestore
    {
        public async Task<RestoreReport> RestoreAndVerifyAsync(CancellationToken cancellationToken)
        {
            // A restore cut short by a restart left part of the tree: start again on an empty disk.
            LocalDisk.Empty(disk);
            var options = new RestoreOptions { Target = disk, Safety = HostSafety.ForeignSnapshot };
            var source = new RepositoryRestoreSource(repository);
            await new Restorer(source).RunAsync(tree, options, cancellationToken).ConfigureAwait(false);
            var verified = await new RestoreVerifier(source).VerifyAsync(tree, disk, HostSafety.ForeignSnapshot, cancellationToken).ConfigureAwait(false);
            return new RestoreReport(verified.Files, verified.Directories, verified.Bytes);
        }

        public async ValueTask DisposeAsync()
        {
            await repositoryLock.DisposeAsync().ConfigureAwait(false);
            await repository.DisposeAsync().ConfigureAwait(false);
        }
    }
}
