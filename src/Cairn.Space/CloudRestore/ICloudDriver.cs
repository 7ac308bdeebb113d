namespace Cairn.Space.CloudRestore;

/// <summary>
/// Provisions the machines of one kind of cloud provider (the catalog's <c>driver</c> names it). Space's job runner
/// calls these in order for each restored instance: <see cref="ProvisionAsync"/>, then <see cref="OpenBackupAsync"/>
/// with the backup password, then <see cref="ICloudRestore.RestoreAndVerifyAsync"/>; <see cref="DestroyAsync"/> on
/// return. Three ship with Space: <see cref="LocalCloudDriver"/> (<c>local</c>: a folder on this Space host),
/// <see cref="Ssh.SshCloudDriver"/> (<c>ssh</c>: a separate server of the operator's, reached with OpenSSH) and
/// <see cref="CloudApi.CloudApiDriver"/> (<c>cloud-api</c>: a new server per instance, made through a provider's
/// HTTP API and restored onto over ssh; the example of a driver for a real cloud). What every driver must do:
/// <list type="bullet">
/// <item>Be idempotent per instance ID: after a restart any step may be called again for the same instance and must
/// reuse, not duplicate, what it made (one machine, one folder or disk, one bill at the provider).</item>
/// <item>Never proceed without the password: <see cref="OpenBackupAsync"/> must open one of the repository's keys
/// with it (decrypting the key file, not just trusting the caller) before anything is restored, and throw
/// <see cref="BackupPasswordRejectedException"/> when no key opens.</item>
/// <item>Keep the password secret: use it in memory only; never write it to the machine's disk, its metadata, user
/// data or cloud-init, a log, a URL, a command line, an environment variable or an exception message. A remote
/// machine receives it only inside an encrypted channel to that one process (the ssh driver: the worker's start frame
/// on the SSH session's standard input) and reads the repository through that channel or a read-only Backup URL of
/// the task.</item>
/// <item>Restore the chosen snapshot (not "latest") with the Cairn engine under the foreign-snapshot policy, report
/// progress (to the log), and verify the restored tree against the snapshot (names, types, sizes, file content
/// hashes) before reporting success.</item>
/// <item>Honour cancellation (Space stopping): stop, leave what exists, and let the next call resume.</item>
/// <item>On <see cref="DestroyAsync"/>, delete the machine and its disks for good; succeed when they are gone already.</item>
/// </list>
/// </summary>
public interface ICloudDriver
{
    /// <summary>The name catalog providers use in their <c>driver</c> field.</summary>
    string Name { get; }

    /// <summary>Creates (or finds again) the machine and its empty disk.</summary>
    Task<CloudMachine> ProvisionAsync(CloudMachineRequest request, CancellationToken cancellationToken);

    /// <summary>Opens the task's repository with the password; throws <see cref="BackupPasswordRejectedException"/> when it is wrong.</summary>
    Task<ICloudRestore> OpenBackupAsync(CloudMachine machine, BackupSource source, string password, CancellationToken cancellationToken);

    Task DestroyAsync(CloudMachine machine, CancellationToken cancellationToken);

    /// <summary>
    /// Whether <see cref="DestroyAsync"/> must run for an instance that never got a disk saved: true for a driver that
    /// may have made a machine (billed at the provider) before provisioning failed; it then finds it by instance ID.
    /// </summary>
    bool MayHoldMachineWithoutDisk => false;
}

/// <summary>A repository opened with the right password, ready to restore onto the machine.</summary>
public interface ICloudRestore : IAsyncDisposable
{
    /// <summary>Restores the snapshot onto the machine's disk and verifies it; throws <see cref="Cairn.Restore.RestoreVerificationException"/> on a difference.</summary>
    Task<RestoreReport> RestoreAndVerifyAsync(CancellationToken cancellationToken);
}

/// <summary>What to provision: the instance's ID (the idempotency key), its name and the catalog choice.</summary>
public sealed record CloudMachineRequest(Guid InstanceId, string Name, CatalogChoice Choice);

/// <summary>
/// A provisioned machine; <see cref="Disk"/> is where its disk is (a folder for the local driver, an
/// <c>ssh://user@host:port/folder</c> for the ssh and cloud-api drivers), <see cref="Provider"/> the catalog provider
/// it was made at. A driver that makes servers adds what it found out (the cloud-api driver: the provider's server
/// ID, its address and the host key the API reported); only <see cref="Disk"/> is saved with the instance, so such a
/// driver finds the rest again from its idempotency key (the cloud-api driver: the server's name).
/// </summary>
public sealed record CloudMachine(Guid InstanceId, string Disk, string? Provider = null, string? ServerId = null, string? Address = null, string? HostKey = null);

/// <summary>The snapshot to restore: a task's repository, keyed by IDs as Space keeps it.</summary>
public sealed record BackupSource(Guid TaskInstanceId, Guid TaskId, string SnapshotId);

/// <summary>What a verified restore put on the disk.</summary>
public sealed record RestoreReport(long Files, long Directories, long Bytes);

/// <summary>No key of the repository opens with the given password.</summary>
public sealed class BackupPasswordRejectedException() : Exception("the backup password is wrong: no key of the repository opens with it");
