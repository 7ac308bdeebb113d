using Cairn.Repository.Format;
using Cairn.Storage;

namespace Cairn.Repository;

/// <summary>
/// A repository opened for reading in the one order every reader follows (docs/format.md, "Ordering"): once it is
/// open (the caller knows the password and the store), take the shared lock, read the snapshots, then load the index. A snapshot read before the index has every blob it needs in
/// that index, because writers store the index before the snapshot; the other way round, a snapshot written after
/// the index was loaded could name blobs the reader cannot find, and one read later could have lost its data to a
/// prune that the lock did not yet keep out. Every CLI command that reads and Space's cloud restore start here.
/// </summary>
public sealed class ReadSession : IAsyncDisposable
{
    private readonly RepositoryLock? _lock;
    private readonly bool _ownsRepository;

    private ReadSession(ResticRepository repository, bool ownsRepository, RepositoryLock? repositoryLock, IReadOnlyList<(Id Id, Snapshot Snapshot)> snapshots)
    {
        Repository = repository;
        _ownsRepository = ownsRepository;
        _lock = repositoryLock;
        Snapshots = snapshots;
    }

    /// <summary>The repository opened.</summary>
    public ResticRepository Repository { get; }

    /// <summary>What the query found, read after the lock was written and before the index was loaded.</summary>
    public IReadOnlyList<(Id Id, Snapshot Snapshot)> Snapshots { get; }

    /// <summary>The snapshot a <see cref="SnapshotQuery.One"/> query found.</summary>
    public (Id Id, Snapshot Snapshot) Snapshot => Snapshots is [var one] ? one
        : throw new InvalidOperationException($"the session read {Snapshots.Count} snapshots, not one");

    /// <summary>Whether the shared lock is held (false with <see cref="ReadSessionOptions.Lock"/> off).</summary>
    public bool IsLocked => _lock is not null;

    /// <summary>
    /// Locks <paramref name="repository"/>, reads the snapshots <paramref name="query"/> asks for and loads the index.
    /// With <paramref name="ownsRepository"/>, disposing the session (or a failure here) disposes the repository too.
    /// </summary>
    public static async Task<ReadSession> OpenAsync(ResticRepository repository, SnapshotQuery query, ReadSessionOptions options,
        bool ownsRepository = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(repository);
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(options);
        try
        {
            var reads = new Reads(repository, query, options);
            RepositoryLock? repositoryLock = null;
            if (options.Lock)
            {
                // The reads run while the lock settles, after our lock file is written; a refused attempt discards them.
                repositoryLock = await RepositoryLock.AcquireAsync(repository, exclusive: false, options.RetryLockFor, cancellationToken, reads.RunAsync)
                    .ConfigureAwait(false);
            }
            else
            {
                await reads.RunAsync(cancellationToken).ConfigureAwait(false);
            }

            reads.Report();
            return new ReadSession(repository, ownsRepository, repositoryLock, reads.Snapshots);
        }
        catch
        {
            if (ownsRepository)
            {
                await repository.DisposeAsync().ConfigureAwait(false);
            }

            throw;
        }
    }

    /// <summary>Releases the lock and closes the repository when the session opened it.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_lock is not null)
        {
            await _lock.DisposeAsync().ConfigureAwait(false);
        }

        if (_ownsRepository)
        {
            await Repository.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>One attempt's reads, snapshots before the index, with what did not open held back until the lock is ours.</summary>
    private sealed class Reads(ResticRepository repository, SnapshotQuery query, ReadSessionOptions options)
    {
        private readonly List<(Id Id, CorruptedDataException Error)> _unreadableSnapshots = [];
        private readonly List<(ObjectName Name, CorruptedDataException Error)> _unreadableIndexFiles = [];

        public IReadOnlyList<(Id Id, Snapshot Snapshot)> Snapshots { get; private set; } = [];

        public async Task RunAsync(CancellationToken cancellationToken)
        {
            _unreadableSnapshots.Clear();
            _unreadableIndexFiles.Clear();
            Snapshots = await query.ReadAsync(repository, options.UnreadableSnapshot is null ? null : (id, e) => _unreadableSnapshots.Add((id, e)), cancellationToken)
                .ConfigureAwait(false);
            if (options.LoadIndex)
            {
                await repository.ReloadIndexAsync(options.UnreadableIndex is null ? null : SkipIndexFile, cancellationToken).ConfigureAwait(false);
            }
        }

        public void Report()
        {
            foreach (var (id, error) in _unreadableSnapshots)
            {
                options.UnreadableSnapshot?.Invoke(id, error);
            }

            foreach (var (name, error) in _unreadableIndexFiles)
            {
                options.UnreadableIndex?.Invoke(name, error);
            }
        }

        private void SkipIndexFile(ObjectName name, CorruptedDataException error)
        {
            lock (_unreadableIndexFiles)
            {
                _unreadableIndexFiles.Add((name, error));
            }
        }
    }
}
