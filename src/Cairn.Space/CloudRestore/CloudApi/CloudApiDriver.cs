using System.Diagnostics;
using System.Globalization;
using Cairn.Space.CloudRestore.Ssh;
using Cairn.Space.CloudRestore.Worker;

namespace Cairn.Space.CloudRestore.CloudApi;

/// <summary>
/// The <c>cloud-api</c> driver, the example of a driver for a real cloud: each instance is a new server made through
/// the provider's HTTP API (the shape of Hetzner Cloud's or DigitalOcean's; <see cref="CloudApiClient"/>) from the
/// catalog's image, with the provider's ssh key (<see cref="SshProviderKeys"/>) and cloud-init user data that makes
/// the target user and folder. The server's name is the instance ID, the idempotency key: provisioning first looks
/// the server up by that name, so a crash between its creation and Space saving the state makes no second server,
/// and Return finds it the same way. Once the API says it runs, with an IPv4 address and the host key it reports,
/// the restore is the ssh driver's (<see cref="SshRestorer"/>); Return deletes the server with its disk.
/// </summary>
public sealed class CloudApiDriver(
    CloudCatalog catalog,
    SshProviderKeys keys,
    SshRestorer restorer,
    IHttpClientFactory httpClients,
    IConfiguration configuration,
    ILogger<CloudApiDriver> logger) : ICloudDriver
{
    public const string DriverName = "cloud-api";

    /// <summary>The named HttpClient, registered without request logging (no header or URL of it reaches a log).</summary>
    public const string HttpClientName = "Cairn.Space.CloudApi";

    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

    public string Name => DriverName;

    /// <summary>A server made before the boot timed out or ssh failed has no disk saved, yet costs money: Return deletes it too.</summary>
    public bool MayHoldMachineWithoutDisk => true;

    public async Task<CloudMachine> ProvisionAsync(CloudMachineRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var provider = request.Choice.Provider;
        var settings = SettingsOf(provider.Id);
        var api = ClientFor(provider.Id, settings);
        var name = ServerName(request.InstanceId);
        var boot = Stopwatch.StartNew();
        var server = await api.FindAsync(name, cancellationToken).ConfigureAwait(false);
        if (server is null)
        {
            var publicKey = await keys.PublicKeyAsync(provider.Id, cancellationToken).ConfigureAwait(false);
            var body = new CloudApiCreateServer(name, request.Choice.Region.Id, settings.ServerTypes[request.Choice.Hardware.Id], settings.Image, [publicKey],
                CloudInit.UserData(settings.User, settings.TargetFolder, publicKey));
            server = await api.CreateAsync(body, cancellationToken).ConfigureAwait(false)
                     ?? await api.FindAsync(name, cancellationToken).ConfigureAwait(false)
                     ?? throw new CloudRestoreFailedException($"provider '{provider.Id}' says server {name} exists but does not list it");
            logger.LogInformation("Created server {ServerId} ({Name}) at provider {Provider}", server.Id, name, provider.Id);
        }
        else
        {
            logger.LogInformation("Found server {ServerId} ({Name}) at provider {Provider} already: not making another", server.Id, name, provider.Id);
        }

        var deadline = TimeSpan.FromSeconds(settings.BootSeconds);
        while (server.Status != CloudApiServer.Running || server.Ipv4 is null)
        {
            if (boot.Elapsed > deadline)
            {
                throw new CloudRestoreFailedException(
                    $"server {server.Id} at provider '{provider.Id}' is still '{server.Status}' after {settings.BootSeconds} s; it stays until the instance is returned");
            }

            await Task.Delay(PollInterval, cancellationToken).ConfigureAwait(false);
            server = await api.GetAsync(server.Id, cancellationToken).ConfigureAwait(false);
        }

        var hostKey = server.HostKeys?.FirstOrDefault(SshTarget.IsHostKey)
                      ?? throw new CloudRestoreFailedException(
                          $"provider '{provider.Id}' reports no ssh host key for server {server.Id}: Space does not connect to a server it cannot identify");
        var target = new SshTarget(server.Ipv4, SshTarget.DefaultPort, settings.User, settings.TargetFolder, hostKey);
        if (target.Problems() is { Count: > 0 } problems)
        {
            throw new CloudRestoreFailedException($"provider '{provider.Id}' reports server {server.Id} as unusable: {string.Join("; ", problems)}");
        }

        // Running is not yet listening: cloud-init may still be making the user; try until the boot time is up.
        while (true)
        {
            try
            {
                var disk = await restorer.PrepareAsync(provider.Id, target, request.InstanceId, cancellationToken).ConfigureAwait(false);
                return new CloudMachine(request.InstanceId, disk, provider.Id, server.Id.ToString(CultureInfo.InvariantCulture), server.Ipv4, hostKey);
            }
            catch (CloudRestoreFailedException e) when (boot.Elapsed < deadline)
            {
                logger.LogInformation("Server {ServerId} at provider {Provider} is not ready for ssh yet ({Reason}); trying again", server.Id, provider.Id,
                    e.Message);
                await Task.Delay(PollInterval * 2, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    public Task<ICloudRestore> OpenBackupAsync(CloudMachine machine, BackupSource source, string password, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(machine);
        var provider = ProviderOf(machine);
        if (machine.Address is null || machine.HostKey is null)
        {
            throw new CloudRestoreFailedException($"cloud instance {machine.InstanceId}: the cloud-api driver restores only onto a server it provisioned");
        }

        var settings = SettingsOf(provider);
        var target = new SshTarget(machine.Address, SshTarget.DefaultPort, settings.User, settings.TargetFolder, machine.HostKey);
        return restorer.OpenBackupAsync(provider, target, machine.InstanceId, source, password, cancellationToken);
    }

    public async Task DestroyAsync(CloudMachine machine, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(machine);
        var provider = ProviderOf(machine);
        var api = ClientFor(provider, SettingsOf(provider));
        long? id = long.TryParse(machine.ServerId, NumberStyles.None, CultureInfo.InvariantCulture, out var known)
            ? known
            : (await api.FindAsync(ServerName(machine.InstanceId), cancellationToken).ConfigureAwait(false))?.Id;
        if (id is { } serverId)
        {
            await api.DeleteAsync(serverId, cancellationToken).ConfigureAwait(false);
            logger.LogInformation("Deleted server {ServerId} of instance {InstanceId} at provider {Provider}", serverId, machine.InstanceId, provider);
        }
    }

    /// <summary>The server's name at the provider: the instance ID (a valid host name), never the tenant's instance name.</summary>
    public static string ServerName(Guid instanceId) => instanceId.ToString("D");

    private CloudApiClient ClientFor(string provider, CloudApiProvider settings)
        => new(httpClients.CreateClient(HttpClientName), settings.Api, TokenOf(provider, settings), provider);

    /// <summary>The API token from where the catalog says; the message names the place, never a value.</summary>
    private string TokenOf(string provider, CloudApiProvider settings)
    {
        var (token, where) = settings.TokenVariable is { Length: > 0 } variable
            ? (Environment.GetEnvironmentVariable(variable), $"the environment variable {variable}")
            : (configuration[settings.TokenSetting!], $"the setting {settings.TokenSetting}");
        return string.IsNullOrWhiteSpace(token)
            ? throw new CloudRestoreFailedException($"provider '{provider}' has no API token: set {where} on every Space replica")
            : token.Trim();
    }

    private static string ProviderOf(CloudMachine machine)
        => machine.Provider ?? throw new CloudRestoreFailedException($"cloud instance {machine.InstanceId}: the cloud-api driver needs the machine's provider");

    private CloudApiProvider SettingsOf(string providerId)
    {
        var provider = catalog.Providers.FirstOrDefault(p => p.Id == providerId)
                       ?? throw new CloudRestoreFailedException($"provider '{providerId}' is no longer in the catalog");
        return provider.CloudApi ?? throw new CloudRestoreFailedException($"provider '{providerId}' has no cloudApi section");
    }
}
