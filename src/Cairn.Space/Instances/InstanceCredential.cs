using Cairn.Space.Backups;
using Cairn.Space.Usage;
using Cairn.Storage;

namespace Cairn.Space.Instances;

/// <summary>
/// A username and secret with which an instance reaches its repositories over restic's REST protocol. The secret
/// is random and long, so its SHA-256 is enough to keep; it is shown once, when minted.
/// </summary>
public sealed class InstanceCredential
{
    private InstanceCredential()
    {
    }

    public InstanceCredential(Guid id, Guid instanceId, string username, string secretHash, CredentialAccess access,
        DateTimeOffset createdAt, Guid? taskId = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(username);
        ArgumentException.ThrowIfNullOrEmpty(secretHash);
        if (access == CredentialAccess.ReadOnly && taskId is null)
        {
            throw new DomainRuleException("a read-only credential is made for one backup task");
        }

        Id = id;
        InstanceId = instanceId;
        Username = username;
        SecretHash = secretHash;
        Access = access;
        CreatedAt = createdAt.ToUniversalTime();
        TaskId = taskId;
    }

    public Guid Id { get; private set; }
    public Guid InstanceId { get; private set; }
    public string Username { get; private set; } = "";
    public string SecretHash { get; private set; } = "";
    public CredentialAccess Access { get; private set; }

    /// <summary>When set, the credential reaches this one task only (a Backup URL).</summary>
    public Guid? TaskId { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset? RevokedAt { get; private set; }

    public bool IsRevoked => RevokedAt is not null;

    public void Revoke(DateTimeOffset now)
    {
        if (RevokedAt is null)
        {
            RevokedAt = now.ToUniversalTime();
        }
    }
}

/// <summary>What a credential may do to a repository.</summary>
public enum CredentialAccess
{
    /// <summary>Read, add and delete anything (restic's <c>forget --prune</c> needs it).</summary>
    Full = 0,

    /// <summary>Read and add; delete only lock files, as restic needs for a backup; never overwrite.</summary>
    AppendOnly = 1,

    /// <summary>
    /// Read only, but for lock files, which restic writes even to restore: a task's Backup URL. It removes only the
    /// locks it wrote itself (checked against who wrote them, see <c>LockOwnership</c>).
    /// </summary>
    ReadOnly = 2,
}

/// <summary>The rules of <see cref="CredentialAccess"/>, in one place for the REST endpoints.</summary>
public static class CredentialAccessRules
{
    public static bool MayCreateRepository(this CredentialAccess access) => access != CredentialAccess.ReadOnly;

    public static bool MayAdd(this CredentialAccess access, ObjectKind kind)
        => access != CredentialAccess.ReadOnly || kind == ObjectKind.Lock;

    /// <summary>Full deletes anything; the others only lock files (never config, keys, data, index or snapshots).</summary>
    public static bool MayDelete(this CredentialAccess access, ObjectKind kind)
        => access == CredentialAccess.Full || kind == ObjectKind.Lock;

    public static bool MayReport(this CredentialAccess access) => access != CredentialAccess.ReadOnly;
}
