using Cairn.Repository.Format;
using Cairn.Storage;

namespace Cairn.Repository;

/// <summary>Lists snapshots and resolves what users type: <c>latest</c>, a full ID or a unique prefix.</summary>
public static class SnapshotFinder
{
    /// <summary>Every snapshot, oldest first; one that does not load fails the listing (prune and forget rely on a whole list).</summary>
    public static async Task<List<(Id Id, Snapshot Snapshot)>> ListAsync(ResticRepository repository, CancellationToken cancellationToken = default)
        => await ListAsync(repository, unreadable: null, cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// Every snapshot, oldest first. With <paramref name="unreadable"/>, a snapshot file that does not decrypt or
    /// parse is skipped and reported there (as restic warns "could not load snapshot"); without it, it fails the listing.
    /// </summary>
    public static async Task<List<(Id Id, Snapshot Snapshot)>> ListAsync(ResticRepository repository, Action<Id, CorruptedDataException>? unreadable,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(repository);
        var files = await repository.Store.ListAllAsync(ObjectKind.Snapshot, cancellationToken).ConfigureAwait(false);
        var result = new (Id, Snapshot?)[files.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, files.Count), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (i, ct) =>
        {
            var name = files[i].Name;
            var id = Id.Parse(name.Name);
            try
            {
                result[i] = (id, await repository.LoadJsonAsync<Snapshot>(name, ct).ConfigureAwait(false));
            }
            catch (CorruptedDataException e) when (unreadable is not null)
            {
                result[i] = (id, null);
                lock (result)
                {
                    unreadable(id, e);
                }
            }
        }).ConfigureAwait(false);
        return [.. result.Where(s => s.Item2 is not null).Select(s => (s.Item1, s.Item2!))
            .OrderBy(s => s.Item2.Time.UnixSeconds).ThenBy(s => s.Item2.Time.Nanoseconds)];
    }

    /// <summary>
    /// Resolves <c>latest</c> (optionally of a host and paths) or an ID prefix; throws <see cref="SnapshotNotFoundException"/>.
    /// A snapshot file that does not open is skipped with a report to <paramref name="unreadable"/> (when given), so a
    /// damaged or planted file never hides the newest snapshot that opens; when none opens, the damage is thrown, and
    /// one named by its ID still fails.
    /// </summary>
    public static async Task<(Id Id, Snapshot Snapshot)> FindAsync(ResticRepository repository, string idOrLatest, string? host = null,
        IReadOnlyList<string>? paths = null, CancellationToken cancellationToken = default, Action<Id, CorruptedDataException>? unreadable = null)
    {
        ArgumentNullException.ThrowIfNull(repository);
        ArgumentNullException.ThrowIfNull(idOrLatest);
        if (idOrLatest == "latest")
        {
            var skipped = new List<(Id Id, CorruptedDataException Error)>();
            var all = await ListAsync(repository, (id, e) => skipped.Add((id, e)), cancellationToken).ConfigureAwait(false);
            var candidates = all.Where(s => (host is null || s.Snapshot.Hostname == host)
                                          && (paths is null || paths.Count == 0 || s.Snapshot.Paths.SequenceEqual(paths))).ToList();
            if (candidates.Count == 0)
            {
                // Nothing opens: the damage is the answer, not "no snapshot".
                throw skipped.Count > 0 ? skipped.OrderBy(s => s.Id.ToString(), StringComparer.Ordinal).First().Error
                    : new SnapshotNotFoundException("no snapshot found (latest)");
            }

            foreach (var (id, error) in skipped)
            {
                unreadable?.Invoke(id, error);
            }

            return candidates[^1];
        }

        // By ID, the names settle it without decrypting the others.
        var files = await repository.Store.ListAllAsync(ObjectKind.Snapshot, cancellationToken).ConfigureAwait(false);
        var matches = files.Select(f => Id.Parse(f.Name.Name)).Where(id => id.HasPrefix(idOrLatest)).ToList();
        return matches.Count switch
        {
            1 => (matches[0], await repository.LoadJsonAsync<Snapshot>(new ObjectName(ObjectKind.Snapshot, matches[0].ToString()), cancellationToken)
                .ConfigureAwait(false)),
            0 => throw new SnapshotNotFoundException($"no snapshot matches ID \"{idOrLatest}\""),
            _ => throw new SnapshotNotFoundException($"ID prefix \"{idOrLatest}\" is ambiguous ({matches.Count} snapshots match)"),
        };
    }
}

/// <summary>No snapshot matches the id, prefix or <c>latest</c> asked for.</summary>
public sealed class SnapshotNotFoundException(string message) : RepositoryException(message);
