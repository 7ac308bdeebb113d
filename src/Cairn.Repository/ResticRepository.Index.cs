using Cairn.Repository.Format;
using Cairn.Storage;

namespace Cairn.Repository;

/// <summary>
/// How <see cref="ResticRepository.Index"/> is filled: from the index files in the store (at open, or again after
/// someone rewrote them), or by prune and repair with the index they have just built.
/// </summary>
public sealed partial class ResticRepository
{
    /// <summary>Reads every index file into <see cref="Index"/>.</summary>
    public Task LoadIndexAsync(CancellationToken cancellationToken = default) => LoadIndexAsync(skipUnreadable: null, cancellationToken);

    /// <summary>
    /// Reads every index file into <see cref="Index"/>. With <paramref name="skipUnreadable"/>, an index file that does
    /// not match its name or does not decrypt (a garbage file someone with append-only access uploaded) is handed to
    /// it and left out instead of failing the load. Only for readers: a blob it would have named is then "not found",
    /// never wrong, since every blob is checked against its ID; a writer (prune) must never skip, or it would take
    /// indexed packs for unreferenced ones.
    /// </summary>
    public async Task LoadIndexAsync(Action<ObjectName, CorruptedDataException>? skipUnreadable, CancellationToken cancellationToken = default)
    {
        var files = await Store.ListAllAsync(ObjectKind.Index, cancellationToken).ConfigureAwait(false);
        await Parallel.ForEachAsync(files, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken }, async (info, ct) =>
        {
            byte[] json;
            try
            {
                json = await LoadUnpackedAsync(info.Name, ct).ConfigureAwait(false);
            }
            catch (CorruptedDataException e) when (skipUnreadable is not null)
            {
                skipUnreadable(info.Name, e);
                return;
            }

            try
            {
                // Read straight into the index's arrays: no object per blob.
                Index.AddIndexDocument(Id.Parse(info.Name.Name), json);
            }
            catch (FormatException e)
            {
                throw new CorruptedDataException(info.Name.ToString(), e.Message, e);
            }
        }).ConfigureAwait(false);
        Index.Freeze();
    }

    /// <summary>
    /// Forgets everything the index holds and reads every index file again: for a caller that knows the index files
    /// changed since they were loaded (a lock attempt that waited for a prune, a copy that wrote new index files).
    /// </summary>
    public Task ReloadIndexAsync(CancellationToken cancellationToken = default) => ReloadIndexAsync(skipUnreadable: null, cancellationToken);

    /// <summary><see cref="ReloadIndexAsync(CancellationToken)"/>, leaving out unreadable index files as <see cref="LoadIndexAsync(Action{ObjectName, CorruptedDataException}?, CancellationToken)"/> does.</summary>
    public async Task ReloadIndexAsync(Action<ObjectName, CorruptedDataException>? skipUnreadable, CancellationToken cancellationToken = default)
    {
        Index.Reset([], []);
        await LoadIndexAsync(skipUnreadable, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Installs an index the caller has just built instead of reading it back from the store: only for prune and
    /// repair index, which know exactly which blobs survive and which index files (<paramref name="indexFiles"/>,
    /// possibly none yet) now name them. Any other caller wants <see cref="ReloadIndexAsync(CancellationToken)"/>.
    /// </summary>
    public void ReplaceIndex(IEnumerable<(Id Id, BlobLocation Location)> blobs, IEnumerable<Id> indexFiles)
    {
        ArgumentNullException.ThrowIfNull(blobs);
        ArgumentNullException.ThrowIfNull(indexFiles);
        Index.Reset(blobs, indexFiles);
    }
}
