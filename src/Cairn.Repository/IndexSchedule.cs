namespace Cairn.Repository;

/// <summary>
/// When a backup writes an index file for the packs it has stored since the last one (docs/format.md, "Resuming a
/// killed backup"): after 16 packs (about 256 MiB), after 16,384 blobs (packs of small files hold thousands), or once
/// the oldest of them has waited five minutes, so a slow upload that is killed loses at most that much besides the
/// packs in flight. Checked as each pack is stored. Not thread-safe: <see cref="Internal.PackAssembler"/> holds its lock.
/// </summary>
internal sealed class IndexSchedule(TimeProvider time)
{
    /// <summary>Packs per index file: each document stays near 2 MiB, since larger ones are megabytes of short-lived buffers at every write.</summary>
    public const int EveryPacks = 16;

    public const int EveryBlobs = 16_384;

    /// <summary>Restic writes an index on a time bound too; five minutes keeps a slow backup's index files to about a dozen an hour.</summary>
    public static readonly TimeSpan AtLeastEvery = TimeSpan.FromMinutes(5);

    private int _packs;
    private int _blobs;
    private DateTimeOffset _oldestStoredAt;

    /// <summary>Notes a pack just stored with <paramref name="blobs"/> blobs; returns whether an index file is due.</summary>
    public bool PackStored(int blobs)
    {
        var now = time.GetUtcNow();
        if (_packs == 0)
        {
            _oldestStoredAt = now;
        }

        _packs++;
        _blobs += blobs;
        return _packs >= EveryPacks || _blobs >= EveryBlobs || now - _oldestStoredAt >= AtLeastEvery;
    }

    /// <summary>The packs noted so far are about to be indexed.</summary>
    public void Indexed()
    {
        _packs = 0;
        _blobs = 0;
    }
}
