using Cairn.Space.Usage;

namespace Cairn.Space.Backups;

/// <summary>
/// Which credential wrote a lock file. Space cannot read locks (they are encrypted), so ownership by credential is
/// what lets a read-only Backup URL remove its own locks and never the owner's or a prune's.
/// </summary>
public sealed class LockRecord
{
    private LockRecord()
    {
    }

    public LockRecord(Guid taskId, string lockName, string credentialUsername, DateTimeOffset createdAt)
    {
        ArgumentException.ThrowIfNullOrEmpty(lockName);
        ArgumentException.ThrowIfNullOrEmpty(credentialUsername);
        TaskId = taskId;
        LockName = lockName;
        CredentialUsername = credentialUsername;
        CreatedAt = createdAt.ToUniversalTime();
    }

    public Guid TaskId { get; private set; }
    public string LockName { get; private set; } = "";
    public string CredentialUsername { get; private set; } = "";
    public DateTimeOffset CreatedAt { get; private set; }
}
