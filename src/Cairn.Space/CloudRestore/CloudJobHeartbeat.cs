using Cairn.Space.Cluster;
using Microsoft.Extensions.DependencyInjection;

namespace Cairn.Space.CloudRestore;

/// <summary>
/// Renews every cloud job claim this replica holds, a quarter of the lease apart, for as long as the process lives.
/// When the replica dies the beats stop and its claims run out, and another replica takes the jobs over.
/// </summary>
public sealed class CloudJobHeartbeat(IServiceScopeFactory scopes, ClusterSettings cluster, ILogger<CloudJobHeartbeat> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Real time, not the injected clock: the beat must keep going whatever a test does to the clock.
        using var timer = new PeriodicTimer(cluster.HeartbeatInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    await using var scope = scopes.CreateAsyncScope();
                    await scope.ServiceProvider.GetRequiredService<CloudJobClaims>().RenewAsync(stoppingToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogWarning(e, "Renewing the cloud job claims of replica {Replica} failed; trying again at the next beat", cluster.ReplicaId);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
