using Cairn.Storage;

namespace Cairn.Repository.Access;

/// <summary>The key files of a repository that a password can be tried on, and how many could not be.</summary>
public sealed class KeyCandidates
{
    private KeyCandidates(IReadOnlyList<KeyCandidate> usable, int unusable)
    {
        Usable = usable;
        Unusable = unusable;
    }

    /// <summary>Readable scrypt key files, in the order the store listed them.</summary>
    public IReadOnlyList<KeyCandidate> Usable { get; }

    /// <summary>Key files over the count, unreadable, or not scrypt with sane parameters: never tried.</summary>
    public int Unusable { get; }

    /// <summary>Reads at most <paramref name="maxKeyFiles"/> key files; the rest count as unusable.</summary>
    public static async Task<KeyCandidates> ReadAsync(IObjectStore store, int maxKeyFiles, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentOutOfRangeException.ThrowIfNegative(maxKeyFiles);
        var usable = new List<KeyCandidate>();
        var unusable = 0;
        await foreach (var info in store.ListAsync(ObjectKind.Key, cancellationToken).ConfigureAwait(false))
        {
            if (usable.Count >= maxKeyFiles)
            {
                unusable++;
                continue;
            }

            try
            {
                var file = await KeyRing.ReadKeyFileAsync(store, info.Name, cancellationToken).ConfigureAwait(false);
                if (KeyCandidate.IsUsable(file))
                {
                    usable.Add(new KeyCandidate(info.Name, file));
                    continue;
                }
            }
            catch (Exception e) when (e is CorruptedDataException or ObjectNotFoundException)
            {
                // Unreadable or deleted since it was listed: counted below.
            }

            unusable++;
        }

        return new KeyCandidates(usable, unusable);
    }
}
