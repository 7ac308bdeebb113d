using Cairn.Space.Cluster;
using Cairn.Space.Data;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Space.CloudRestore;

/// <summary>
/// Which replica works each cloud job, kept in the job's own row (<see cref="CloudInstance.ClaimedBy"/>,
/// <see cref="CloudInstance.ClaimedUntil"/>). A claim is taken by a conditional update that only matches a job in a
/// working state that nobody holds, whose holder's lease ran out, or that this replica's earlier run left; so of any
/// number of replicas asking at once, one gets it (PostgreSQL re-reads the row under its lock, SQLite has one writer).
/// The holder renews the lease while it lives (<see cref="CloudJobHeartbeat"/>) and releases it when the job waits for
/// the owner or is done (the entity clears it) or when the replica stops.
/// </summary>
public sealed class CloudJobClaims(SpaceDbContext db, ClusterSettings cluster, TimeProvider clock)
{
    public string ReplicaId => cluster.ReplicaId;

    /// <summary>The lease end of a claim made now.</summary>
    public DateTimeOffset LeaseEnd() => clock.GetUtcNow() + cluster.JobLease;

    /// <summary>Jobs in a working state this replica may claim now, oldest first.</summary>
    public async Task<List<Guid>> ClaimableAsync(CancellationToken cancellationToken)
    {
        var (me, now) = (cluster.ReplicaId, clock.GetUtcNow());
        return await db.CloudInstances.AsNoTracking()
            .Where(c => (c.State == CloudInstanceState.Pending || c.State == CloudInstanceState.Installing
                        || c.State == CloudInstanceState.Restoring || c.State == CloudInstanceState.Destroying) && (c.ClaimedBy == null || c.ClaimedBy == me || c.ClaimedUntil < now))
            .OrderBy(c => c.CreatedAt).Select(c => c.Id).ToListAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>True when this replica now holds the job; the caller must not already be running it.</summary>
    public async Task<bool> TryClaimAsync(Guid instanceId, CancellationToken cancellationToken)
    {
        var (me, now) = (cluster.ReplicaId, clock.GetUtcNow());
        var until = now + cluster.JobLease;
        var claimed = await db.CloudInstances
            .Where(c => c.Id == instanceId && (c.State == CloudInstanceState.Pending || c.State == CloudInstanceState.Installing
                        || c.State == CloudInstanceState.Restoring || c.State == CloudInstanceState.Destroying)
                        && (c.ClaimedBy == null || c.ClaimedBy == me || c.ClaimedUntil < now))
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.ClaimedBy, me).SetProperty(c => c.ClaimedUntil, until), cancellationToken)
            .ConfigureAwait(false);
        return claimed == 1;
    }

    /// <summary>The heartbeat: every claim this replica holds lasts another lease from now.</summary>
    public async Task<int> RenewAsync(CancellationToken cancellationToken)
    {
        var me = cluster.ReplicaId;
        var until = clock.GetUtcNow() + cluster.JobLease;
        return await db.CloudInstances.Where(c => c.ClaimedBy == me)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.ClaimedUntil, until), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A replica that stops lets go of everything it holds, so another takes it over at once.</summary>
    public async Task<int> ReleaseAllAsync(CancellationToken cancellationToken)
    {
        var me = cluster.ReplicaId;
        return await db.CloudInstances.Where(c => c.ClaimedBy == me)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.ClaimedBy, (string?)null).SetProperty(c => c.ClaimedUntil, (DateTimeOffset?)null),
                cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The orders this replica holds (a password may wait for them here).</summary>
    public async Task<List<Guid>> HeldAsync(CancellationToken cancellationToken)
    {
        var me = cluster.ReplicaId;
        return await db.CloudInstances.AsNoTracking().Where(c => c.ClaimedBy == me).Select(c => c.Id)
            .ToListAsync(cancellationToken).ConfigureAwait(false);
    }
}
