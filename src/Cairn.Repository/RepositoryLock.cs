using Cairn.Repository.Format;
using Cairn.Repository.Internal;
using Cairn.Storage;

namespace Cairn.Repository;

/// <summary>
/// A restic-compatible lock file (docs/format.md, "Locks"): exclusive for operations that delete, shared for
/// backup and restore. Refreshed every 5 minutes while held; a lock is stale after 30 minutes, or at once when
/// it was made on this host by a process that no longer runs.
/// </summary>
public sealed class RepositoryLock : IAsyncDisposable
{
    /// <summary>How often a held lock is refreshed (restic's 5 minutes).</summary>
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromMinutes(5);
    /// <summary>After how long without refresh a lock is stale (restic's 30 minutes).</summary>
    public static readonly TimeSpan StaleAfter = TimeSpan.FromMinutes(30);


    private readonly ResticRepository _repository;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _refresher;
    private Id _current;

    private RepositoryLock(ResticRepository repository, bool exclusive, Id id)
    {
        _repository = repository;
        Exclusive = exclusive;
        _current = id;
        _refresher = Task.Run(RefreshLoopAsync);
    }

    /// <summary>Whether this lock is exclusive.</summary>
    public bool Exclusive { get; }

    /// <summary>The id of the current lock file (changes on refresh).</summary>
    public Id LockId => _current;

    /// <summary>Like restic's <c>--retry-lock</c>: keeps trying for up to <paramref name="retryFor"/> while another process holds a conflicting lock.</summary>
    /// <param name="whileSettling">
    /// Work to run during the settle wait, such as loading the index; it is run again on every attempt and its
    /// result must be thrown away when the lock is refused (see the other overload).
    /// </param>
    public static async Task<RepositoryLock> AcquireAsync(ResticRepository repository, bool exclusive, TimeSpan retryFor, CancellationToken cancellationToken = default, Func<CancellationToken, Task>? whileSettling = null)
    {
        ArgumentNullException.ThrowIfNull(repository);
        var deadline = repository.Options.Time.GetUtcNow() + retryFor;
        var delay = TimeSpan.FromSeconds(1);
        while (true)
        {
            try
            {
                return await AcquireAsync(repository, exclusive, cancellationToken, whileSettling).ConfigureAwait(false);
            }
            catch (RepositoryLockedException) when (repository.Options.Time.GetUtcNow() + delay < deadline)
            {
                // Jitter, so two processes that refused each other's fresh locks do not collide again in step.
                var jittered = delay * (0.5 + Random.Shared.NextDouble());
                await Task.Delay(jittered, repository.Options.Time, cancellationToken).ConfigureAwait(false);
                delay = TimeSpan.FromSeconds(Math.Min(delay.TotalSeconds * 2, 20));
            }
        }
    }

    /// <summary>
    /// Writes a lock after checking for conflicting ones, waits for racing writers to show, and checks again.
    /// <paramref name="whileSettling"/> runs during that wait (a backup loads its index there): it starts only once
    /// no exclusive lock was found and ours is written, so no prune can run while it reads, and if the second check
    /// refuses the lock the caller must discard what it read.
    /// </summary>
    public static async Task<RepositoryLock> AcquireAsync(ResticRepository repository, bool exclusive, CancellationToken cancellationToken = default, Func<CancellationToken, Task>? whileSettling = null)
    {
        ArgumentNullException.ThrowIfNull(repository);
        await CheckConflictsAsync(repository, exclusive, null, cancellationToken).ConfigureAwait(false);
        var id = await WriteAsync(repository, exclusive, cancellationToken).ConfigureAwait(false);
        try
        {
            var settle = Task.Delay(repository.Options.LockSettle, repository.Options.Time, cancellationToken);
            if (whileSettling is not null)
            {
                await whileSettling(cancellationToken).ConfigureAwait(false);
            }

            await settle.ConfigureAwait(false);
            await CheckConflictsAsync(repository, exclusive, id, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await TryDeleteAsync(repository, id).ConfigureAwait(false);
            throw;
        }

        return new RepositoryLock(repository, exclusive, id);
    }

    private static Task<Id> WriteAsync(ResticRepository repository, bool exclusive, CancellationToken cancellationToken)
    {
        var file = new LockFile
        {
            Time = NodeTime.FromDateTimeOffset(repository.Options.Time.GetLocalNow()),
            Exclusive = exclusive,
            Hostname = repository.Options.Hostname,
            Username = repository.Options.Username,
            Pid = Environment.ProcessId,
            Uid = ProcessIdentity.Uid,
            Gid = ProcessIdentity.Gid,
        };
        return repository.SaveJsonAsync(ObjectKind.Lock, file, cancellationToken);
    }

    private static async Task CheckConflictsAsync(ResticRepository repository, bool exclusive, Id? own, CancellationToken cancellationToken)
    {
        foreach (var (id, file) in await ListAsync(repository, cancellationToken).ConfigureAwait(false))
        {
            if (id == own || IsStale(file, repository.Options.Time.GetUtcNow(), repository.Options.Hostname))
            {
                continue;
            }

            if (exclusive || file.Exclusive)
            {
                var age = repository.Options.Time.GetUtcNow() - file.Time.ToDateTimeOffset();
                throw new RepositoryLockedException(
                    $"unable to create lock in backend: repository is already locked {(file.Exclusive ? "exclusively " : "")}by PID {file.Pid} on {file.Hostname} by {file.Username} (UID {file.Uid}, GID {file.Gid})\n" +
                    $"lock was created at {file.Time.ToDateTimeOffset():yyyy-MM-dd HH:mm:ss} ({age.TotalMinutes:F0} minutes ago)\nstorage ID {id.Short}");
            }
        }
    }

    /// <summary>Every readable lock file; ones that vanish or fail to decrypt while listing are skipped.</summary>
    public static async Task<List<(Id Id, LockFile File)>> ListAsync(ResticRepository repository, CancellationToken cancellationToken = default)
    {
        var result = new List<(Id, LockFile)>();
        foreach (var info in await repository.Store.ListAllAsync(ObjectKind.Lock, cancellationToken).ConfigureAwait(false))
        {
            try
            {
                result.Add((Id.Parse(info.Name.Name), await repository.LoadJsonAsync<LockFile>(info.Name, cancellationToken).ConfigureAwait(false)));
            }
            catch (ObjectNotFoundException)
            {
            }
            catch (CorruptedDataException)
            {
            }
        }

        return result;
    }

    /// <summary>Whether a lock is stale: not refreshed for <see cref="StaleAfter"/>, or held by a dead process on this host.</summary>
    public static bool IsStale(LockFile file, DateTimeOffset now, string hostname)
    {
        if (now - file.Time.ToDateTimeOffset() > StaleAfter)
        {
            return true;
        }

        return string.Equals(file.Hostname, hostname, StringComparison.Ordinal) && !ProcessIdentity.IsAlive(file.Pid);
    }

    /// <summary>Removes stale locks, or every lock with <paramref name="all"/>; returns how many.</summary>
    public static async Task<int> RemoveAsync(ResticRepository repository, bool all, CancellationToken cancellationToken = default)
    {
        var removed = 0;
        foreach (var (id, file) in await ListAsync(repository, cancellationToken).ConfigureAwait(false))
        {
            if (all || IsStale(file, repository.Options.Time.GetUtcNow(), repository.Options.Hostname))
            {
                await TryDeleteAsync(repository, id).ConfigureAwait(false);
                removed++;
            }
        }

        return removed;
    }

    private async Task RefreshLoopAsync()
    {
        try
        {
            while (true)
            {
                await Task.Delay(RefreshInterval, _repository.Options.Time, _stop.Token).ConfigureAwait(false);
                var fresh = await WriteAsync(_repository, Exclusive, _stop.Token).ConfigureAwait(false);
                var old = _current;
                _current = fresh;
                await TryDeleteAsync(_repository, old).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (StorageException)
        {
            // The next refresh tries again; the lock only goes stale after 30 minutes.
        }
    }

    private static async Task TryDeleteAsync(ResticRepository repository, Id id)
    {
        try
        {
            await repository.Store.DeleteAsync(new ObjectName(ObjectKind.Lock, id.ToString()), CancellationToken.None).ConfigureAwait(false);
        }
        catch (StorageException)
        {
        }
    }

    /// <summary>Stops refreshing and deletes the lock file.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _refresher.ConfigureAwait(false);
        _stop.Dispose();
        await TryDeleteAsync(_repository, _current).ConfigureAwait(false);
    }
}
