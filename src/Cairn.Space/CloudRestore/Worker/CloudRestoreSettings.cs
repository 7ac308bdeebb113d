using Cairn.Platform;

namespace Cairn.Space.CloudRestore.Worker;

/// <summary>
/// How Space runs restores to local cloud disks, bound from <c>Space:Cloud</c>. <c>Space:Cloud:RestoreUser</c> names
/// the unprivileged user a privileged Space runs them as; unset, that is <see cref="DedicatedUser"/> when the host
/// has it, else <see cref="FallbackUser"/>. <c>Space:Cloud:RestoreReadLimit</c> caps the bytes per second one such restore
/// reads from the task's repository (unset: no cap), so a large restore leaves the host's store and disk to the others.
/// </summary>
public sealed record CloudRestoreSettings
{
    public const string SectionName = "Space:Cloud";
    public const string DedicatedUser = "cairn-restore";
    public const string FallbackUser = "nobody";

    public string? RestoreUser { get; init; }

    /// <summary>The most bytes per second one restore to a local disk reads from the repository; null for no limit.</summary>
    public long? ReadBytesPerSecond { get; init; }

    public static CloudRestoreSettings From(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(SectionName);
        var user = section["RestoreUser"];
        return new CloudRestoreSettings
        {
            RestoreUser = string.IsNullOrWhiteSpace(user) ? null : user.Trim(),
            ReadBytesPerSecond = ReadLimit(section["RestoreReadLimit"]),
        };
    }

    private static long? ReadLimit(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (!long.TryParse(text.Trim(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var limit)
            || limit <= 0)
        {
            throw new InvalidOperationException(
                $"Space:Cloud:RestoreReadLimit must be a whole number of bytes per second greater than 0 (or unset for no limit), not '{text}'");
        }

        return limit;
    }

    /// <summary>
    /// Who the restore process runs as: the configured (or default) user when Space is privileged, else Space's own
    /// user (it has no privileges to give up). Looked up on each restore, so a user the operator adds later is used.
    /// </summary>
    public RestoreAccount ResolveAccount()
    {
        if (!Environment.IsPrivilegedProcess)
        {
            return new RestoreAccount(Environment.UserName, PosixFileSystem.EffectiveUserId, 0, DropsPrivileges: false);
        }

        var name = RestoreUser ?? (PosixFileSystem.UserAccount(DedicatedUser) is not null ? DedicatedUser : FallbackUser);
        var account = PosixFileSystem.UserAccount(name)
            ?? throw new CloudRestoreFailedException($"the restore user '{name}' (Space:Cloud:RestoreUser) does not exist on this host; create it (docs/operations.md) or name another");
        if (account.Uid == 0)
        {
            throw new CloudRestoreFailedException($"the restore user '{name}' (Space:Cloud:RestoreUser) is root; restores must run as an unprivileged user");
        }

        return new RestoreAccount(name, account.Uid, account.Gid, DropsPrivileges: true);
    }
}

/// <summary>The user a restore process runs as; <see cref="DropsPrivileges"/> when Space starts it as root and it must give root up.</summary>
public sealed record RestoreAccount(string Name, uint Uid, uint Gid, bool DropsPrivileges);

/// <summary>A restore to a local disk failed for a reason other than the password or a difference found by verification.</summary>
public sealed class CloudRestoreFailedException(string message) : Exception(message);
