using Cairn.Space.CloudRestore.Worker;

namespace Cairn.Space.CloudRestore.Ssh;

/// <summary>
/// The <c>ssh</c> driver: the machine is a server of the operator's (a VPS, a spare box) that the catalog names with
/// its host key; Space reaches it with Debian's OpenSSH client (<see cref="SshSession"/>), signing in with the
/// provider's own key (<see cref="SshProviderKeys"/>). Each instance is a folder on it, restored into and wiped by
/// <see cref="SshRestorer"/>; Return removes that folder (the server stays: it is the operator's).
/// </summary>
public sealed class SshCloudDriver(CloudCatalog catalog, SshRestorer restorer) : ICloudDriver
{
    public const string DriverName = "ssh";

    public string Name => DriverName;

    public async Task<CloudMachine> ProvisionAsync(CloudMachineRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var provider = request.Choice.Provider.Id;
        var disk = await restorer.PrepareAsync(provider, TargetOf(provider), request.InstanceId, cancellationToken).ConfigureAwait(false);
        return new CloudMachine(request.InstanceId, disk, provider);
    }

    public Task<ICloudRestore> OpenBackupAsync(CloudMachine machine, BackupSource source, string password, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(machine);
        var provider = ProviderOf(machine);
        return restorer.OpenBackupAsync(provider, TargetOf(provider), machine.InstanceId, source, password, cancellationToken);
    }

    public Task DestroyAsync(CloudMachine machine, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(machine);
        var provider = ProviderOf(machine);
        return restorer.WipeAsync(provider, TargetOf(provider), machine.InstanceId, cancellationToken);
    }

    private static string ProviderOf(CloudMachine machine)
        => machine.Provider ?? throw new CloudRestoreFailedException($"cloud instance {machine.InstanceId}: the ssh driver needs the machine's provider");

    private SshTarget TargetOf(string providerId)
    {
        var provider = catalog.Providers.FirstOrDefault(p => p.Id == providerId)
                       ?? throw new CloudRestoreFailedException($"provider '{providerId}' is no longer in the catalog");
        return provider.Ssh ?? throw new CloudRestoreFailedException($"provider '{providerId}' names no ssh server");
    }
}
