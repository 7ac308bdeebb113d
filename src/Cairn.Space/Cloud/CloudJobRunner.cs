using System.Collections.Concurrent;
using Cairn.Space.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Cairn.Space.Cloud;

/// <summary>
/// Runs the durable jobs: every cloud instance in a working state (Pending, Installing, Restoring, Destroying) is
/// driven to its next state, and each state is saved before the next step. On start it picks up what the database
/// says; an install found in Installing or Restoring without a password in memory (Space restarted) asks for the
/// password again (Restore_error) and resumes from Installing once given, with no new order or charge.
/// </summary>
public sealed class CloudJobRunner(
    IServiceScopeFactory scopes,
    CloudJobSignal signal,
    BackupPasswordHolder passwords,
    CloudDrivers drivers,
    CloudCatalog catalog,
    ICloudJobObserver observer,
    TimeProvider clock,
    ILogger<CloudJobRunner> logger) : BackgroundService
{
    public const string PasswordNeeded =
        "Enter the backup password again: Space keeps it in memory only and no longer has it (Space restarted during the install, or the order waited too long)";

    private static readonly TimeSpan LookInterval = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<Guid, Task> _running = new();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    foreach (var id in await WorkingAsync(stoppingToken).ConfigureAwait(false))
                    {
                        if (!_running.ContainsKey(id))
                        {
                            _running[id] = RunGuardedAsync(id, stoppingToken);
                        }
                    }
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogError(e, "Looking for cloud jobs failed; looking again shortly");
                }

                await signal.WaitAsync(LookInterval, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Space is stopping; each job keeps its saved state and resumes on the next start.
        }
        finally
        {
            await Task.WhenAll(_running.Values).ConfigureAwait(false);
        }
    }

    private async Task<List<Guid>> WorkingAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SpaceDbContext>();
        return await db.CloudInstances.AsNoTracking().Where(c => c.State == CloudInstanceState.Pending || c.State == CloudInstanceState.Installing
                                                         || c.State == CloudInstanceState.Restoring || c.State == CloudInstanceState.Destroying)
            .OrderBy(c => c.CreatedAt).Select(c => c.Id).ToListAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task RunGuardedAsync(Guid id, CancellationToken stoppingToken)
    {
        await Task.Yield();
        try
        {
            await RunAsync(id, stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            logger.LogError(e, "Cloud job of instance {InstanceId} failed", id);
        }
        finally
        {
            _running.TryRemove(id, out _);
        }
    }

    private async Task RunAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SpaceDbContext>();
        var instance = await db.CloudInstances.SingleAsync(c => c.Id == id, cancellationToken).ConfigureAwait(false);

        async Task SaveAsync()
        {
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            logger.LogInformation("Cloud instance {Instance} ({InstanceId}) is {State}", instance.Name, instance.Id, instance.State.ToApiName());
            await observer.StateSavedAsync(instance.Id, instance.State, cancellationToken).ConfigureAwait(false);
        }

        try
        {
            var driver = drivers.For(catalog.Resolve(instance.Provider, instance.Region, instance.Hardware).Provider.Driver);
            switch (instance.State)
            {
                case CloudInstanceState.Pending:
                case CloudInstanceState.Installing:
                    if (instance.State == CloudInstanceState.Pending)
                    {
                        instance.StartInstall();
                        await SaveAsync().ConfigureAwait(false);
                    }

                    await InstallAsync(instance, driver, SaveAsync, cancellationToken).ConfigureAwait(false);
                    break;
                case CloudInstanceState.Restoring:
                    // Found on disk with no install in this process: the password went with the last one.
                    passwords.Forget(instance.Id);
                    instance.NeedPassword(PasswordNeeded);
                    await SaveAsync().ConfigureAwait(false);
                    break;
                case CloudInstanceState.Destroying:
                    if (instance.Disk is { } disk)
                    {
                        await driver.DestroyAsync(new CloudMachine(instance.Id, disk), cancellationToken).ConfigureAwait(false);
                    }

                    instance.Destroyed(clock.GetUtcNow());
                    await SaveAsync().ConfigureAwait(false);
                    break;
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e) when (e is not DbUpdateException)
        {
            logger.LogError(e, "Cloud instance {Instance} ({InstanceId}) failed in {State}", instance.Name, instance.Id, instance.State.ToApiName());
            instance.Fail($"{instance.State.ToApiName()} failed: {e.Message}");
            await SaveAsync().ConfigureAwait(false);
        }
    }

    private async Task InstallAsync(CloudInstance instance, ICloudDriver driver, Func<Task> saveAsync, CancellationToken cancellationToken)
    {
        if (!passwords.TryTake(instance.Id, out var password))
        {
            instance.NeedPassword(PasswordNeeded);
            await saveAsync().ConfigureAwait(false);
            return;
        }

        var choice = catalog.Resolve(instance.Provider, instance.Region, instance.Hardware);
        var machine = await driver.ProvisionAsync(new CloudMachineRequest(instance.Id, instance.Name, choice), cancellationToken).ConfigureAwait(false);
        instance.Provisioned(machine.Disk);
        await saveAsync().ConfigureAwait(false);

        ICloudRestore restore;
        try
        {
            restore = await driver.OpenBackupAsync(machine, new BackupSource(instance.TaskInstanceId, instance.TaskId, instance.SnapshotId), password,
                cancellationToken).ConfigureAwait(false);
        }
        catch (BackupPasswordRejectedException e)
        {
            instance.NeedPassword($"{e.Message}; enter it again");
            await saveAsync().ConfigureAwait(false);
            return;
        }

        await using (restore.ConfigureAwait(false))
        {
            instance.PasswordAccepted();
            await saveAsync().ConfigureAwait(false);
            var report = await restore.RestoreAndVerifyAsync(cancellationToken).ConfigureAwait(false);
            instance.Restored(clock.GetUtcNow());
            await saveAsync().ConfigureAwait(false);
            logger.LogInformation("Cloud instance {Instance} restored and verified: {Files} files, {Directories} directories, {Bytes} bytes",
                instance.Name, report.Files, report.Directories, report.Bytes);
        }
    }
}
