using Cairn.Repository;
using Cairn.Repository.Crypto;
using Cairn.Repository.Format;
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
    public async Task<OpenedKey> OpenAsync(Guid accountId, Guid instanceId, Guid taskId, string password, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(password);
        using var slot = await throttle.AcquireAsync(accountId, cancellationToken).ConfigureAwait(false);
        var store = storage.Open(instanceId, taskId);
        await using (store.ConfigureAwait(false))
        {
            var keys = await ReadKeysAsync(store, cancellationToken).ConfigureAwait(false);
            long spent = 0;
            var untried = 0;
            foreach (var key in keys.OrderBy(k => k.Work))
            {
                if (key.Memory > settings.MaxKeyMemoryBytes || spent + key.Work > settings.MaxWorkBytes)
                {
                    untried++;
                    continue;
                }

                spent += key.Work;
                var master = await Task.Run(() => KeyRing.TryOpenKeyFile(key.File, password, key.Name.ToString()), cancellationToken).ConfigureAwait(false);
                if (master is not null)
                {
                    return new OpenedKey(master, Id.Parse(key.Name.Name));
                }
            }

            untried += keys.Untried;
            if (untried > 0)
            {
                logger.LogInformation("Password check of task {TaskId}: {Untried} key files not tried (over Space's scrypt bounds or unreadable)", taskId, untried);
            }

            throw new WrongBackupPasswordException(untried);
        }
    }

    private async Task<KeySet> ReadKeysAsync(IObjectStore store, CancellationToken cancellationToken)
    {
        var keys = new KeySet();
        await foreach (var info in store.ListAsync(ObjectKind.Key, cancellationToken).ConfigureAwait(false))
        {
            if (keys.Count >= settings.MaxKeyFiles)
            {
                keys.Untried++;
                continue;
            }

            KeyFile file;
            try
            {
                file = await KeyRing.ReadKeyFileAsync(store, info.Name, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is CorruptedDataException or ObjectNotFoundException)
            {
                keys.Untried++;
                continue;
            }

            // Checked before scrypt runs: absurd N, r or p are refused here, not found out by the CPU.
            if (file.Kdf != "scrypt" || file.N < 2 || !System.Numerics.BitOperations.IsPow2(file.N) || file.R < 1 || file.P < 1)
            {
                keys.Untried++;
                continue;
            }

            var memory = 128 * (Int128)file.R * file.N;
            var work = memory * file.P;
            keys.Add(new KeyCandidate(info.Name, file, (long)Int128.Min(memory, long.MaxValue), (long)Int128.Min(work, long.MaxValue)));
        }

        return keys;
    }

    private sealed record KeyCandidate(ObjectName Name, KeyFile File, long Memory, long Work);

    private sealed class KeySet : List<KeyCandidate>
    {
        /// <summary>Key files over the count, unreadable or not scrypt: never tried.</summary>
        public int Untried { get; set; }
    }
}

/// <summary>The master key a backup password unwrapped, and the key file it came from.</summary>
public sealed record OpenedKey(CryptoKey Master, Id KeyId);
