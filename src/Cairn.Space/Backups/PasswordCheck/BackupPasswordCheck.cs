using Cairn.Repository.Access;
using Cairn.Space.Backups.Stores;
using Cairn.Storage;

namespace Cairn.Space.Backups.PasswordCheck;

/// <summary>
/// Whether a backup password opens a task's repository, answered before anything is charged: reads the
/// repository's key files (docs/format.md, "Keys") and runs scrypt on them in memory, the cheapest first, within
/// the bounds of <see cref="PasswordCheckSettings"/>. Nothing of the password is kept; the master key it unwraps is
/// handed to the caller, which lets it go with the request.
/// </summary>
public sealed class BackupPasswordCheck(IRepositoryStorage storage, PasswordCheckThrottle throttle, PasswordCheckSettings settings,
    ILogger<BackupPasswordCheck> logger)
{
    /// <summary>
    /// The master key the password unwraps, or <see cref="WrongBackupPasswordException"/>. Throws
    /// <see cref="TooManyRequestsException"/> when the account or the replica is checking too much already.
    /// </summary>
    public async Task<UnlockedKey> OpenAsync(Guid accountId, Guid instanceId, Guid taskId, string password, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(password);
        using var slot = await throttle.AcquireAsync(accountId, cancellationToken).ConfigureAwait(false);
        var store = storage.Open(instanceId, taskId);
        await using (store.ConfigureAwait(false))
        {
            var keys = await KeyCandidates.ReadAsync(store, settings.MaxKeyFiles, cancellationToken).ConfigureAwait(false);
            long spent = 0;
            var untried = 0;
            foreach (var key in keys.Usable.OrderBy(k => k.WorkBytes))
            {
                if (key.MemoryBytes > settings.MaxKeyMemoryBytes || spent + key.WorkBytes > settings.MaxWorkBytes)
                {
                    untried++;
                    continue;
                }

                spent += key.WorkBytes;
                if (await Task.Run(() => key.TryUnlock(password), cancellationToken).ConfigureAwait(false) is { } unlocked)
                {
                    return unlocked;
                }
            }

            untried += keys.Unusable;
            if (untried > 0)
            {
                logger.LogInformation("Password check of task {TaskId}: {Untried} key files not tried (over Space's scrypt bounds or unreadable)", taskId, untried);
            }

            throw new WrongBackupPasswordException(untried);
        }
    }
}
