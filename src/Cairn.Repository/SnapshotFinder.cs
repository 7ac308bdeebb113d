using Cairn.Repository.Format;
using Cairn.Storage;

namespace Cairn.Repository;

/// <summary>Lists snapshots and resolves what users type: <c>latest</c>, a full ID or a unique prefix.</summary>
public static class SnapshotFinder
{
    public static async Task<List<(Id Id, Snapshot Snapshot)>> ListAsync(Repository repository, CancellationToken cancellationToken = default)
    {
        var files = await repository.Store.ListAllAsync(ObjectKind.Snapshot, cancellationToken).ConfigureAwait(false);
        var result = new (Id, Snapshot)[files.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, files.Count), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (i, ct) =>
        {
            var name = files[i].Name;
            result[i] = (Id.Parse(name.Name), await repository.LoadJsonAsync<Snapshot>(name, ct).ConfigureAwait(false));
        }).ConfigureAwait(false);
        return [.. result.OrderBy(s => s.Item2.Time.UnixSeconds).ThenBy(s => s.Item2.Time.Nanoseconds)];
    }

    /// <summary>Resolves <c>latest</c> (optionally of a host and paths) or an ID prefix; throws <see cref="SnapshotNotFoundException"/>.</summary>
    public static async Task<(Id Id, Snapshot Snapshot)> FindAsync(Repository repository, string idOrLatest, string? host = null, IReadOnlyList<string>? paths = null, CancellationToken cancellationToken = default)
    {
        var all = await ListAsync(repository, cancellationToken).ConfigureAwait(false);
        if (idOrLatest == "latest")
        {
            var candidates = all.Where(s => (host is null || s.Snapshot.Hostname == host)
                                          && (paths is null || paths.Count == 0 || s.Snapshot.Paths.SequenceEqual(paths))).ToList();
            return candidates.Count > 0 ? candidates[^1] : throw new SnapshotNotFoundException("no snapshot found (latest)");
        }

        var matches = all.Where(s => s.Id.HasPrefix(idOrLatest)).ToList();
        return matches.Count switch
        {
            1 => matches[0],
            0 => throw new SnapshotNotFoundException($"no snapshot matches ID \"{idOrLatest}\""),
            _ => throw new SnapshotNotFoundException($"ID prefix \"{idOrLatest}\" is ambiguous ({matches.Count} snapshots match)"),
        };
    }
}

public sealed class SnapshotNotFoundException(string message) : RepositoryException(message);
