using System.Runtime.CompilerServices;
using Amazon.S3;
using Amazon.S3.Model;

namespace Cairn.Storage;

/// <summary>
/// The <c>s3:</c> backend: a repository in an S3 bucket under a prefix, in restic's layout (<see cref="S3Layout"/>),
/// so restic opens the same location. Uploads stream (one PUT up to <see cref="S3StoreOptions.PartSize"/>, parts
/// above; see the Uploads part of this class for write-once). Reads are ranged GETs, listings are paginated. The
/// client never retries: wrap the store in <see cref="RetryingObjectStore"/> (the factory does).
/// </summary>
internal sealed partial class S3ObjectStore : IObjectStore
{
    private readonly S3StoreOptions _options;
    private readonly AmazonS3Client _client;
    private readonly S3StreamedPut _streamedPut;
    private readonly S3Layout _layout;
    private readonly bool _ownsClient;

    public S3ObjectStore(S3StoreOptions options)
        : this(options, S3ClientFactory.Create(Validated(options)), new S3StreamedPut(options), ownsClient: true)
    {
    }

    /// <summary>A store on clients that <see cref="S3Bucket"/> shares between the repositories of one bucket.</summary>
    internal S3ObjectStore(S3StoreOptions options, AmazonS3Client client, S3StreamedPut streamedPut, bool ownsClient)
    {
        Validated(options);
        _options = options;
        _layout = new S3Layout(options.Location.Prefix);
        _client = client;
        _streamedPut = streamedPut;
        _ownsClient = ownsClient;
    }

    public string Location => _options.Location.Display;

    private string Bucket => _options.Location.Bucket;

    /// <summary>Makes the bucket when it is missing (as restic's init does); fails when a config exists. S3 has no folders to make.</summary>
    public async Task CreateAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (!await BucketExistsAsync(cancellationToken).ConfigureAwait(false))
        {
            await CallAsync("create the bucket", null, async ct =>
            {
                try
                {
                    await _client.PutBucketAsync(new PutBucketRequest { BucketName = Bucket }, ct).ConfigureAwait(false);
                }
                catch (AmazonS3Exception e) when (e.ErrorCode == "BucketAlreadyOwnedByYou")
                {
                    // Made by a racing init, or listed before the server saw it: ours either way.
                }
            }, cancellationToken).ConfigureAwait(false);
        }
        else if (await TryStatAsync(ObjectName.Config, cancellationToken).ConfigureAwait(false) is not null)
        {
            throw new StorageException($"a repository already exists at {Location} (it has a config)");
        }
    }

    public async Task<ObjectInfo> StatAsync(ObjectName name, CancellationToken cancellationToken = default) =>
        await TryStatAsync(name, cancellationToken).ConfigureAwait(false) ?? throw new ObjectNotFoundException(name);

    public async Task ReadAtAsync(ObjectName name, long offset, Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        if (buffer.Length == 0)
        {
            // An empty range cannot be asked for in HTTP; the object's size says whether the offset is inside it.
            var info = await StatAsync(name, cancellationToken).ConfigureAwait(false);
            ThrowIfShort(name, offset, 0, info.Size - offset);
            return;
        }

        await CallAsync($"read {name}", name, async ct =>
        {
            using (var response = await GetAsync(name, offset, buffer.Length, ct).ConfigureAwait(false)
                ?? throw new StorageException($"{name} is shorter than the {buffer.Length} bytes asked for at offset {offset}"))
            {
                ThrowIfShort(name, offset, buffer.Length, response.ContentLength);
                try
                {
                    await response.ResponseStream.ReadExactlyAsync(buffer, ct).ConfigureAwait(false);
                }
                catch (EndOfStreamException e)
                {
                    throw new StorageException($"read {name}: the answer ended before {buffer.Length} bytes at offset {offset}", isTransient: true, e);
                }
            }
        }, cancellationToken).ConfigureAwait(false);
    }

    public async Task<Stream> OpenReadAsync(ObjectName name, CancellationToken cancellationToken = default)
    {
        Stream? stream = null;
        await CallAsync($"open {name}", name, async ct =>
        {
            var response = await _client.GetObjectAsync(new GetObjectRequest { BucketName = Bucket, Key = _layout.KeyOf(name) }, ct).ConfigureAwait(false);
            stream = new S3ResponseStream(response);
        }, cancellationToken).ConfigureAwait(false);
        return stream!;
    }

    /// <summary>A ranged GET: only the range crosses the network (and the SDK checks no MD5 over a part).</summary>
    public async Task<Stream> OpenReadAsync(ObjectName name, long offset, long length, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(length);
        Stream? stream = null;
        await CallAsync($"open {name}", name, async ct =>
        {
            // No answer: the object ends before the range begins.
            stream = await GetAsync(name, offset, length, ct).ConfigureAwait(false) is { } response ? new S3ResponseStream(response) : Stream.Null;
        }, cancellationToken).ConfigureAwait(false);
        return stream!;
    }

    /// <summary>One GET: whole (its length is the size) or ranged (its <c>Content-Range</c> ends with the size).</summary>
    public async Task<ObjectRead> OpenWithSizeAsync(ObjectName name, long offset, long? length, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(length ?? 1);
        ObjectRead? read = null;
        await CallAsync($"open {name}", name, async ct =>
        {
            var ranged = offset > 0 || length is not null;
            if (await GetAsync(name, offset, length, ct).ConfigureAwait(false) is not { } response)
            {
                read = null; // the object ends before the range begins (or is empty): its size comes from a HEAD
                return;
            }

            if (!ranged)
            {
                read = new ObjectRead(new S3ResponseStream(response), response.ContentLength);
            }
            else if (S3ContentRange.TryParseSize(response.ContentRange, out var size))
            {
                read = new ObjectRead(new S3ResponseStream(response), size);
            }
            else
            {
                response.Dispose();
                throw new StorageException($"open {name}: the store's ranged answer has no usable Content-Range ('{response.ContentRange}')");
            }
        }, cancellationToken).ConfigureAwait(false);

        if (read is { } opened)
        {
            return opened;
        }

        var info = await StatAsync(name, cancellationToken).ConfigureAwait(false);
        return new ObjectRead(Stream.Null, info.Size);
    }

    /// <summary>
    /// One GET of the whole object (offset 0, no length), of <paramref name="length"/> bytes at
    /// <paramref name="offset"/>, or of everything from it; null when the object ends before the range begins
    /// (S3's InvalidRange, RFC 9110 §15.5.17).
    /// </summary>
    private async Task<GetObjectResponse?> GetAsync(ObjectName name, long offset, long? length, CancellationToken cancellationToken)
    {
        var request = new GetObjectRequest { BucketName = Bucket, Key = _layout.KeyOf(name) };
        if (offset > 0 || length is not null)
        {
            request.ByteRange = length is { } n ? new ByteRange(offset, offset + n - 1) : new ByteRange($"bytes={offset}-");
        }

        try
        {
            return await _client.GetObjectAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (AmazonS3Exception e) when (e.ErrorCode == "InvalidRange")
        {
            return null;
        }
    }

    public async IAsyncEnumerable<ObjectInfo> ListAsync(ObjectKind kind, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (kind == ObjectKind.Config)
        {
            if (await TryStatAsync(ObjectName.Config, cancellationToken).ConfigureAwait(false) is { } config)
            {
                yield return config;
            }

            yield break;
        }

        string? continuation = null;
        do
        {
            var page = await ListPageAsync(kind, continuation, cancellationToken).ConfigureAwait(false);
            if (page is null)
            {
                yield break; // no bucket: nothing of any kind
            }

            foreach (var entry in page.S3Objects ?? [])
            {
                if (_layout.TryParse(kind, entry.Key, out var name))
                {
                    yield return new ObjectInfo(name, entry.Size ?? 0);
                }
            }

            continuation = page.IsTruncated == true ? page.NextContinuationToken : null;
        }
        while (continuation is not null);
    }

    /// <summary>S3 answers a DELETE of a missing key with success; the contract wants not found, so a HEAD goes first.</summary>
    public async Task DeleteAsync(ObjectName name, CancellationToken cancellationToken = default)
    {
        _ = await StatAsync(name, cancellationToken).ConfigureAwait(false);
        await CallAsync($"delete {name}", name, ct =>
            _client.DeleteObjectAsync(new DeleteObjectRequest { BucketName = Bucket, Key = _layout.KeyOf(name) }, ct), cancellationToken).ConfigureAwait(false);
    }

    public ValueTask DisposeAsync()
    {
        if (_ownsClient)
        {
            _client.Dispose();
            _streamedPut.Dispose();
        }

        return ValueTask.CompletedTask;
    }

    public override string ToString() => Location;

    private async Task<ObjectInfo?> TryStatAsync(ObjectName name, CancellationToken cancellationToken)
    {
        ObjectInfo? info = null;
        await CallAsync($"stat {name}", name, async ct =>
        {
            try
            {
                var metadata = await _client.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = Bucket, Key = _layout.KeyOf(name) }, ct)
                    .ConfigureAwait(false);
                info = new ObjectInfo(name, metadata.ContentLength);
            }
            catch (AmazonS3Exception e) when (S3Errors.IsNotFound(e))
            {
                // A HEAD has no body, so a missing bucket looks like a missing key: either way there is no object.
            }
        }, cancellationToken).ConfigureAwait(false);
        return info;
    }

    private async Task<bool> BucketExistsAsync(CancellationToken cancellationToken)
    {
        var exists = true;
        await CallAsync("look for the bucket", null, async ct =>
        {
            try
            {
                // A listing of one key needs only read access, which a user confined to a bucket has (unlike HEAD bucket on some servers).
                await _client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = Bucket, Prefix = _layout.Root, MaxKeys = 1 }, ct).ConfigureAwait(false);
            }
            catch (AmazonS3Exception e) when (S3Errors.IsNoSuchBucket(e))
            {
                exists = false;
            }
        }, cancellationToken).ConfigureAwait(false);
        return exists;
    }

    private async Task<ListObjectsV2Response?> ListPageAsync(ObjectKind kind, string? continuation, CancellationToken cancellationToken)
    {
        ListObjectsV2Response? page = null;
        await CallAsync($"list {kind.FolderName()}", null, async ct =>
        {
            var request = new ListObjectsV2Request
            {
                BucketName = Bucket,
                Prefix = _layout.FolderOf(kind),
                MaxKeys = _options.ListPageSize,
                ContinuationToken = continuation,
            };
            try
            {
                page = await _client.ListObjectsV2Async(request, ct).ConfigureAwait(false);
            }
            catch (AmazonS3Exception e) when (S3Errors.IsNoSuchBucket(e))
            {
                page = null;
            }
        }, cancellationToken).ConfigureAwait(false);
        return page;
    }

    /// <summary>Runs one call, mapping whatever the client throws to the storage contract's exceptions.</summary>
    private async Task CallAsync(string what, ObjectName? name, Func<CancellationToken, Task> call, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            await call(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not StorageException)
        {
            var mapped = S3Errors.Map(e, what, name, Location, cancellationToken);
            if (ReferenceEquals(mapped, e))
            {
                throw;
            }

            throw mapped;
        }
    }

    private static S3StoreOptions Validated(S3StoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return options;
    }

    private static void ThrowIfShort(ObjectName name, long offset, int wanted, long available)
    {
        if (available < wanted)
        {
            throw new StorageException($"{name} is shorter than the {wanted} bytes asked for at offset {offset}");
        }
    }
}
