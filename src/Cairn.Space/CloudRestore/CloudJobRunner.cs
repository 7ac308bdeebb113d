using System.Collections.Concurrent;
using Cairn.Space.Cluster;
using Cairn.Space.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Cairn.Space.CloudRestore;

/// <summary>
/// Runs the durable jobs: every cloud instance in a working state (Pending, Installing, Restoring, Destroying) is
/// driven to its next state, and each state is saved before the next step. A job is run only by the replica that
/// claimed it in the database (<see cref="CloudJobClaims"/>): the one whose request brought the backup password, or,
/// once the claim is free or its lease ran out (its replica stopped or died), whichever replica claims it first. An
/// install claimed without a password in this process's memory asks for the password again (Restore_error) and
/// resumes from Installing once given, with no new order or charge. Every save is conditional on the claim, so a
/// replica whose job was taken over writes nothing more.
/// </summary>
public sealed class CloudJobRunner(
    IServiceScopeFactory scopes,
    CloudJobSignal signal,
    BackupPasswordHolder passwords,
    CloudDrivers drivers,
    CloudCatalog catalog,
    ICloudJobObserver observer,
    ClusterSettings cluster,
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
                    await ClaimAndStartAsync(stoppingToken).ConfigureAwait(false);
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
            await ReleaseAllAsync().ConfigureAwait(false);
        }
    }

    private async Task ClaimAndStartAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var claims = scope.ServiceProvider.GetRequiredService<CloudJobClaims>();
        foreach (var id in await claims.ClaimableAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!_running.ContainsKey(id) && await claims.TryClaimAsync(id, cancellationToken).ConfigureAwait(false))
            {
                _running[id] = RunGuardedAsync(id, cancellationToken);
            }
        }

        // A password given here for an order another replica now holds (or none) is of no use here: let it go.
        var stale = passwords.PutBefore(clock.GetUtcNow() - cluster.JobLease);
        if (stale.Count > 0)
        {
            var held = (await claims.HeldAsync(cancellationToken).ConfigureAwait(false)).ToHashSet();
            foreach (var id in stale.Where(id => !held.Contains(id)))
            {
                passwords.Forget(id);
            }
        }
    }

    // A stopping replica lets go of its claims, so another one takes the jobs over at once instead of after the lease.
    private async Task ReleaseAllAsync()
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<CloudJobClaims>().ReleaseAllAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Releasing the cloud job claims of replica {Replica} failed; they run out after the lease", cluster.ReplicaId);
        }
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
        catch (DbUpdateConcurrencyException)
        {
            passwords.Forget(id);
            logger.LogWarning("Cloud job of instance {InstanceId} was taken over by another replica; replica {Replica} stops working it",
                id, cluster.ReplicaId);
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
        if (instance.ClaimedBy != cluster.ReplicaId || !instance.State.IsWorking())
        {
            return; // taken over, or moved on, between the claim and this read
        }

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
                    if (instance.Disk is not null || driver.MayHoldMachineWithoutDisk)
                    {
                        await driver.DestroyAsync(new CloudMachine(instance.Id, instance.Disk ?? "", instance.Provider), cancellationToken).ConfigureAwait(false);
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
