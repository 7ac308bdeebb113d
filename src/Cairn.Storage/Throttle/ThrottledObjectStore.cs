namespace Cairn.Storage;

/// <summary>
/// Limits the bytes another store moves: uploads (object contents saved) and downloads (object contents read) each
/// through their own <see cref="TokenBucket"/>, as restic's --limit-upload and --limit-download do for every backend.
/// Listings, stats and deletes are not counted. The wrapped store's guarantees are unchanged: only the pace differs.
/// </summary>
public sealed class ThrottledObjectStore : IObjectStore
{
    private readonly TokenBucket? _upload;
    private readonly TokenBucket? _download;

    private ThrottledObjectStore(IObjectStore inner, TokenBucket? upload, TokenBucket? download)
    {
        Inner = inner;
        _upload = upload;
        _download = download;
    }

    /// <summary>
    /// <paramref name="inner"/> limited to these rates in bytes per second (null for no limit); the store itself when
    /// neither is set. A store that stages packs keeps doing so, with each staged pack paid for when it is committed.
    /// </summary>
    public static IObjectStore Wrap(IObjectStore inner, long? uploadBytesPerSecond, long? downloadBytesPerSecond, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(inner);
        if (uploadBytesPerSecond is null && downloadBytesPerSecond is null)
        {
            return inner;
        }

        var upload = uploadBytesPerSecond is { } up ? new TokenBucket(up, timeProvider) : null;
        var download = downloadBytesPerSecond is { } down ? new TokenBucket(down, timeProvider) : null;
        var throttled = new ThrottledObjectStore(inner, upload, download);
        return inner is IStagingObjectStore staging ? new ThrottledStagingObjectStore(throttled, staging, upload) : throttled;
    }

    /// <summary>The wrapped store.</summary>
    public IObjectStore Inner { get; }

    /// <inheritdoc/>
    public string Location => Inner.Location;

    /// <inheritdoc/>
    public Task CreateAsync(CancellationToken cancellationToken = default) => Inner.CreateAsync(cancellationToken);

    /// <inheritdoc/>
    public Task SaveAsync(ObjectName name, ObjectContent content, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        if (_upload is not { } upload)
        {
            return Inner.SaveAsync(name, content, cancellationToken);
        }

        return Inner.SaveAsync(name, content.Wrap(stream => new ThrottledStream(stream, upload, ownsInner: true)), cancellationToken);
    }

    /// <inheritdoc/>
    public Task<ObjectInfo> StatAsync(ObjectName name, CancellationToken cancellationToken = default) => Inner.StatAsync(name, cancellationToken);

    /// <inheritdoc/>
    public async Task ReadAtAsync(ObjectName name, long offset, Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        await Inner.ReadAtAsync(name, offset, buffer, cancellationToken).ConfigureAwait(false);
        if (_download is not null)
        {
            await _download.WaitAsync(buffer.Length, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc/>
    public async Task<Stream> OpenReadAsync(ObjectName name, CancellationToken cancellationToken = default)
        => Throttled(await Inner.OpenReadAsync(name, cancellationToken).ConfigureAwait(false));

    /// <inheritdoc/>
    public async Task<Stream> OpenReadAsync(ObjectName name, long offset, long length, CancellationToken cancellationToken = default)
        => Throttled(await Inner.OpenReadAsync(name, offset, length, cancellationToken).ConfigureAwait(false));

    /// <inheritdoc/>
    public async Task<ObjectRead> OpenWithSizeAsync(ObjectName name, long offset, long? length, CancellationToken cancellationToken = default)
    {
        var read = await Inner.OpenWithSizeAsync(name, offset, length, cancellationToken).ConfigureAwait(false);
        return read with { Body = Throttled(read.Body) };
    }

    private Stream Throttled(Stream stream) => _download is null ? stream : new ThrottledStream(stream, _download, ownsInner: true);

    /// <inheritdoc/>
    public IAsyncEnumerable<ObjectInfo> ListAsync(ObjectKind kind, CancellationToken cancellationToken = default) => Inner.ListAsync(kind, cancellationToken);

    /// <inheritdoc/>
    public Task DeleteAsync(ObjectName name, CancellationToken cancellationToken = default) => Inner.DeleteAsync(name, cancellationToken);

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => Inner.DisposeAsync();
}

/// <summary>
/// The throttle over a store that stages packs as files of its own: the staged file's bytes are paid for (on the
/// upload bucket) before it is moved into place, so staged and streamed saves share one rate.
/// </summary>
internal sealed class ThrottledStagingObjectStore(ThrottledObjectStore throttled, IStagingObjectStore staging, TokenBucket? upload)
    : IStagingObjectStore, ITemporarySweeping
{
    public string Location => throttled.Location;

    public Task CreateAsync(CancellationToken cancellationToken = default) => throttled.CreateAsync(cancellationToken);

    public Task SaveAsync(ObjectName name, ObjectContent content, CancellationToken cancellationToken = default) => throttled.SaveAsync(name, content, cancellationToken);

    public Task<ObjectInfo> StatAsync(ObjectName name, CancellationToken cancellationToken = default) => throttled.StatAsync(name, cancellationToken);

    public Task ReadAtAsync(ObjectName name, long offset, Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        throttled.ReadAtAsync(name, offset, buffer, cancellationToken);

    public Task<Stream> OpenReadAsync(ObjectName name, CancellationToken cancellationToken = default) => throttled.OpenReadAsync(name, cancellationToken);

    public Task<Stream> OpenReadAsync(ObjectName name, long offset, long length, CancellationToken cancellationToken = default)
        => throttled.OpenReadAsync(name, offset, length, cancellationToken);

    public Task<ObjectRead> OpenWithSizeAsync(ObjectName name, long offset, long? length, CancellationToken cancellationToken = default)
        => throttled.OpenWithSizeAsync(name, offset, length, cancellationToken);

    public IAsyncEnumerable<ObjectInfo> ListAsync(ObjectKind kind, CancellationToken cancellationToken = default) => throttled.ListAsync(kind, cancellationToken);

    public Task DeleteAsync(ObjectName name, CancellationToken cancellationToken = default) => throttled.DeleteAsync(name, cancellationToken);

    public FileStream CreateStagingFile(ObjectKind kind) => staging.CreateStagingFile(kind);

    public async Task CommitStagedAsync(ObjectName name, FileStream staged, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(staged);
        if (upload is not null)
        {
            try
            {
                await upload.WaitAsync(staged.Length, cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                // The contract: the staged file is gone afterwards either way.
                staging.DiscardStaged(staged);
                throw;
            }
        }

        await staging.CommitStagedAsync(name, staged, cancellationToken).ConfigureAwait(false);
    }

    public void DiscardStaged(FileStream staged) => staging.DiscardStaged(staged);

    public TemporarySweepResult SweepTemporaries(DateTimeOffset writtenBefore, CancellationToken cancellationToken = default) =>
        staging is ITemporarySweeping sweeping ? sweeping.SweepTemporaries(writtenBefore, cancellationToken) : default;

    public ValueTask DisposeAsync() => throttled.DisposeAsync();
}
