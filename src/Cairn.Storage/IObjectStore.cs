namespace Cairn.Storage;

/// <summary>
/// A place that keeps named, immutable objects: the only thing the layers above know of storage.
/// It knows nothing of encryption or of what the bytes mean.
/// </summary>
/// <remarks>
/// Guarantees every implementation gives (checked by the shared conformance suite,
/// tests/Cairn.Storage.Testing/ObjectStoreConformanceTests, which every backend's tests inherit):
/// <list type="bullet">
/// <item><b>Atomic writes.</b> <see cref="SaveAsync"/> makes the object visible whole or not at all; a write that
/// fails or is cancelled part way leaves no object and no partial file behind.</item>
/// <item><b>Write once.</b> Saving a name that exists throws <see cref="ObjectExistsException"/> unless the stored
/// bytes are the same length (content-addressed objects with the same name are the same bytes).</item>
/// <item><b>Read after write.</b> Once <see cref="SaveAsync"/> returns, <see cref="StatAsync"/>, reads and
/// <see cref="ListAsync"/> see the object.</item>
/// <item><b>Idempotent reads.</b> Reading a range any number of times gives the same bytes.</item>
/// <item><b>Not found is told apart.</b> A missing object is always <see cref="ObjectNotFoundException"/>;
/// other failures are <see cref="StorageException"/> whose <see cref="StorageException.IsTransient"/> says
/// whether a retry may help.</item>
/// <item><b>Delete</b> of a missing object throws <see cref="ObjectNotFoundException"/>.</item>
/// </list>
/// </remarks>
public interface IObjectStore : IAsyncDisposable
{
    /// <summary>A printable location without secrets (a password in a URL is masked).</summary>
    string Location { get; }

    /// <summary>Creates the repository's folder structure; fails if a config already exists.</summary>
    Task CreateAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Saves an object atomically from <paramref name="content"/>, read to its end once per attempt. A store that
    /// tries again itself may do so only when <see cref="ObjectContent.CanRewind"/>; a one-pass content is opened once.
    /// </summary>
    Task SaveAsync(ObjectName name, ObjectContent content, CancellationToken cancellationToken = default);

    /// <summary>Size of an object; <see cref="ObjectNotFoundException"/> when missing.</summary>
    Task<ObjectInfo> StatAsync(ObjectName name, CancellationToken cancellationToken = default);

    /// <summary>
    /// Reads <paramref name="buffer"/>.Length bytes from <paramref name="offset"/>. Throws
    /// <see cref="StorageException"/> if the object is shorter than the range asked for.
    /// </summary>
    Task ReadAtAsync(ObjectName name, long offset, Memory<byte> buffer, CancellationToken cancellationToken = default);

    /// <summary>Opens a stream over the whole object, for streaming consumers (Space downloads).</summary>
    Task<Stream> OpenReadAsync(ObjectName name, CancellationToken cancellationToken = default);

    /// <summary>
    /// Opens a stream over <paramref name="length"/> bytes (at least one) from <paramref name="offset"/>, for streaming
    /// consumers of a range (Space's answers to restic's ranged GETs); the stream ends early if the object does.
    /// Stores with ranged reads override it (S3 asks for the range only); this one reads up to the range and skips.
    /// </summary>
    async Task<Stream> OpenReadAsync(ObjectName name, long offset, long length, CancellationToken cancellationToken = default)
    {
        var whole = await OpenReadAsync(name, cancellationToken).ConfigureAwait(false);
        try
        {
            return await RangeReadStream.OverAsync(whole, offset, length, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await whole.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Opens the object from <paramref name="offset"/> to its end, or for at most <paramref name="length"/> bytes, and
    /// tells the whole object's size; <see cref="ObjectNotFoundException"/> when missing. A length, when given, is at
    /// least one; an offset at or past the end gives an empty body. Stores whose reads answer with the size override it (S3: one ranged GET); this one stats first.
    /// </summary>
    async Task<ObjectRead> OpenWithSizeAsync(ObjectName name, long offset, long? length, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(length ?? 1);
        var size = (await StatAsync(name, cancellationToken).ConfigureAwait(false)).Size;
        var available = size - offset;
        if (available <= 0)
        {
            return new ObjectRead(Stream.Null, size);
        }

        var body = await OpenReadAsync(name, offset, Math.Min(length ?? available, available), cancellationToken).ConfigureAwait(false);
        return new ObjectRead(body, size);
    }

    /// <summary>Lists every object of a kind, in no particular order.</summary>
    IAsyncEnumerable<ObjectInfo> ListAsync(ObjectKind kind, CancellationToken cancellationToken = default);

    /// <summary>Deletes an object; <see cref="ObjectNotFoundException"/> when missing.</summary>
    Task DeleteAsync(ObjectName name, CancellationToken cancellationToken = default);
}
