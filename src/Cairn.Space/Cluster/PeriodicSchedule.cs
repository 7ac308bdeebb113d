using Cairn.Space.Data;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Space.Cluster;

/// <summary>
/// Gives each interval of a piece of periodic work to one replica: every replica asks when its own timer ticks, and
/// the one whose conditional update moves the row's due time on runs the work; the others find it not due. The same
/// statement serves PostgreSQL (the row lock makes the second update see the first one's due time) and SQLite (one
/// writer at a time).
/// </summary>
public sealed class PeriodicSchedule(SpaceDbContext db, ClusterSettings cluster, TimeProvider clock)
{
    /// <summary>The names of the scheduled work.</summary>
    public const string UsageSample = "usage-sample";
    public const string Reconcile = "usage-reconcile";
    public const string MonthlyBills = "monthly-bills";
    public const string Alerts = "alerts";

    /// <summary>True when this replica took the interval of <paramref name="name"/> that is due now; it then runs the work.</summary>
    public async Task<bool> TryTakeAsync(string name, TimeSpan interval, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero);
        var now = clock.GetUtcNow();
        await EnsureRowAsync(name, now, cancellationToken).ConfigureAwait(false);
        var next = now + interval;
        var me = cluster.ReplicaId;
        var taken = await db.ScheduledRuns.Where(r => r.Name == name && r.DueAt <= now)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.DueAt, next).SetProperty(r => r.LastRunBy, me).SetProperty(r => r.LastRunAt, now),
                cancellationToken).ConfigureAwait(false);
        return taken == 1;
    }

    private async Task EnsureRowAsync(string name, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (await db.ScheduledRuns.AnyAsync(r => r.Name == name, cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        var row = db.ScheduledRuns.Add(new ScheduledRun(name, now));
        try
        {
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (DbUpdateException)
        {
            // Another replica made the row a moment ago: the update below decides between us. (The names above are
            // made with the schema; only work added without a migration gets here.)
        }
        finally
        {
            row.State = EntityState.Detached;
        }
    }
}
