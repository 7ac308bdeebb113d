using Cairn.Space.Backups;
using Cairn.Space.Data;
using Cairn.Space.Usage;
using Cairn.Storage;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Space.Backups.Protocol;

/// <summary>
/// Remembers which credential wrote each lock file, in the database so every replica of Space agrees. A lock written
/// any other way (by Space's own restores, or before this record existed) has no owner, so a Backup URL cannot remove it.
/// </summary>
public sealed class LockOwnership(SpaceDbContext db, TimeProvider clock)
{
    public async Task RecordAsync(Guid taskId, ObjectName lockName, string credentialUsername, CancellationToken cancellationToken)
    {
        db.Locks.Add(new LockRecord(taskId, lockName.Name, credentialUsername, clock.GetUtcNow()));
        try
        {
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (DbUpdateException)
        {
            // The same lock saved twice at once: the first writer stands.
            db.ChangeTracker.Clear();
        }
    }

    public Task<bool> WasWrittenByAsync(Guid taskId, ObjectName lockName, string credentialUsername, CancellationToken cancellationToken)
        => db.Locks.AnyAsync(l => l.TaskId == taskId && l.LockName == lockName.Name && l.CredentialUsername == credentialUsername,
            cancellationToken);

    public Task ForgetAsync(Guid taskId, ObjectName lockName, CancellationToken cancellationToken)
        => db.Locks.Where(l => l.TaskId == taskId && l.LockName == lockName.Name).ExecuteDeleteAsync(cancellationToken);

}
