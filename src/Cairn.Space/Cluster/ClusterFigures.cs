using Cairn.Space.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Cairn.Space.Cluster;

/// <summary>
/// The figures that describe the whole cluster (bytes stored, accounts, instances, backup tasks), as the database
/// last said: every replica's gauges report the same numbers, whichever replica a scrape reaches. Read by
/// <see cref="ClusterFiguresRefresh"/>; the gauges read the cached values, so a scrape never waits on the database.
/// </summary>
public sealed class ClusterFigures
{
    private Snapshot _last = new(0, 0, 0, 0);

    public long StoredBytes => Volatile.Read(ref _last).StoredBytes;
    public long Accounts => Volatile.Read(ref _last).Accounts;
    public long Instances => Volatile.Read(ref _last).Instances;
    public long BackupTasks => Volatile.Read(ref _last).BackupTasks;

    public async Task RefreshAsync(SpaceDbContext db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var stored = await db.Tasks.Where(t => t.DeletedAt == null).SumAsync(t => t.StorageBytes, cancellationToken).ConfigureAwait(false);
        var accounts = await db.Accounts.LongCountAsync(cancellationToken).ConfigureAwait(false);
        var instances = await db.Instances.Where(i => i.DeletedAt == null).LongCountAsync(cancellationToken).ConfigureAwait(false);
        var tasks = await db.Tasks.Where(t => t.DeletedAt == null).LongCountAsync(cancellationToken).ConfigureAwait(false);
        Volatile.Write(ref _last, new Snapshot(stored, accounts, instances, tasks));
    }

    private sealed record Snapshot(long StoredBytes, long Accounts, long Instances, long BackupTasks);
}

/// <summary>Reads <see cref="ClusterFigures"/> from the database at start and every 15 seconds after.</summary>
public sealed class ClusterFiguresRefresh(IServiceScopeFactory scopes, ClusterFigures figures, ILogger<ClusterFiguresRefresh> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(15);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        try
        {
            do
            {
                try
                {
                    await using var scope = scopes.CreateAsyncScope();
                    await figures.RefreshAsync(scope.ServiceProvider.GetRequiredService<SpaceDbContext>(), stoppingToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogWarning(e, "Reading the cluster's figures for the metrics failed; the gauges keep the last ones");
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
