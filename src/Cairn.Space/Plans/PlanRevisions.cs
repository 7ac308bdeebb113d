using Cairn.Space.Data;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Space.Plans;

/// <summary>
/// Changes an instance's plans under its revision: the revision row is raised first, which holds it for the
/// transaction (a row lock on PostgreSQL, the write lock on SQLite), so changes on two replicas take turns and
/// each gets its own revision.
/// </summary>
public sealed class PlanRevisions(SpaceDbContext db)
{
    public async Task<long> CurrentAsync(Guid instanceId, CancellationToken cancellationToken)
        => await db.PlanRevisions.AsNoTracking().Where(r => r.InstanceId == instanceId).Select(r => r.Revision)
            .FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);

    /// <summary>Runs <paramref name="change"/> with the next revision and saves it in the same transaction.</summary>
    public async Task<T> ChangeAsync<T>(Guid instanceId, Func<long, Task<T>> change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        await EnsureRowAsync(instanceId, cancellationToken).ConfigureAwait(false);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await db.PlanRevisions.Where(r => r.InstanceId == instanceId)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.Revision, r => r.Revision + 1), cancellationToken).ConfigureAwait(false);
        var revision = await db.PlanRevisions.Where(r => r.InstanceId == instanceId).Select(r => r.Revision)
            .SingleAsync(cancellationToken).ConfigureAwait(false);
        var result = await change(revision).ConfigureAwait(false);
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return result;
    }

    private async Task EnsureRowAsync(Guid instanceId, CancellationToken cancellationToken)
    {
        if (await db.PlanRevisions.AnyAsync(r => r.InstanceId == instanceId, cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        var row = new PlanRevision(instanceId, 0);
        db.PlanRevisions.Add(row);
        try
        {
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (DbUpdateException)
        {
            // Another replica made it first: theirs serves.
        }
        finally
        {
            db.Entry(row).State = EntityState.Detached;
        }
    }
}
