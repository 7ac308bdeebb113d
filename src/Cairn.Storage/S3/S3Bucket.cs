using Amazon.S3;
using Amazon.S3.Model;

namespace Cairn.Storage;

/// <summary>
/// One bucket (under an optional prefix) holding many repositories, each in a folder of its own: what a service
/// such as Space keeps its tenants' repositories in. One client serves every repository opened here (its
/// connections are pooled once), and whole folders are checked, made and removed here, which a single
/// repository's <see cref="IObjectStore"/> does not offer.
/// </summary>
public sealed class S3Bucket : IDisposable
{
    private const int DeleteBatch = 1000; // the most keys one DeleteObjects call takes

    private readonly S3StoreOptions _options;
    private readonly AmazonS3Client _client;
    private readonly S3StreamedPut _streamedPut;

    /// <summary>A client for the bucket the options name.</summary>
    public S3Bucket(S3StoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _client = S3ClientFactory.Create(options);
        _streamedPut = new S3StreamedPut(options);
    }

    /// <summary>The bucket and prefix, without secrets.</summary>
    public string Location => _options.Location.Display;

    private string Bucket => _options.Location.Bucket;

    /// <summary>The repository in folder <paramref name="folder"/> (slash-separated) under the bucket's prefix; the caller disposes it.</summary>
    public IObjectStore OpenRepository(string folder)
    {
        var location = S3Location.Parse($"{_options.Location.Display}/{CheckedFolder(folder)}");
        return new S3ObjectStore(_options with { Location = location }, _client, _streamedPut, ownsClient: false);
    }

    /// <summary>Throws a <see cref="StorageException"/> saying what failed unless the bucket answers a listing now.</summary>
    public async Task CheckReachableAsync(CancellationToken cancellationToken)
    {
        if (!await ExistsAsync(cancellationToken).ConfigureAwait(false))
        {
            throw new StorageException($"the bucket of {Location} does not exist");
        }
    }

    /// <summary>Makes the bucket when it is missing (racing makers are fine); permanent refusals (credentials) are thrown.</summary>
    public async Task EnsureExistsAsync(CancellationToken cancellationToken)
    {
        if (await ExistsAsync(cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        await CallAsync("create the bucket", async ct =>
        {
            try
            {
                await _client.PutBucketAsync(new PutBucketRequest { BucketName = Bucket }, ct).ConfigureAwait(false);
            }
            catch (AmazonS3Exception e) when (e.ErrorCode is "BucketAlreadyOwnedByYou" or "BucketAlreadyExists")
            {
                // Made by another replica starting at the same time.
            }
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Removes every object under folder <paramref name="folder"/> (whatever its name: junk too) and aborts the
    /// multipart uploads left there; returns how many objects went. Nothing when the folder is empty.
    /// </summary>
    public async Task<int> DeleteFolderAsync(string folder, CancellationToken cancellationToken)
    {
        var prefix = $"{Root}{CheckedFolder(folder)}/";
        var deleted = 0;
        string? continuation = null;
        do
        {
            ListObjectsV2Response? page = null;
            await CallAsync($"list {prefix}", async ct =>
            {
                try
                {
                    page = await _client.ListObjectsV2Async(new ListObjectsV2Request
                    {
                        BucketName = Bucket, Prefix = prefix, MaxKeys = DeleteBatch, ContinuationToken = continuation,
                    }, ct).ConfigureAwait(false);
                }
                catch (AmazonS3Exception e) when (S3Errors.IsNoSuchBucket(e))
                {
                    page = null;
                }
            }, cancellationToken).ConfigureAwait(false);
            if (page is null)
            {
                return deleted;
            }

            var keys = (page.S3Objects ?? []).Select(o => new KeyVersion { Key = o.Key }).ToList();
            if (keys.Count > 0)
            {
                await CallAsync($"delete under {prefix}", ct =>
                    _client.DeleteObjectsAsync(new DeleteObjectsRequest { BucketName = Bucket, Objects = keys, Quiet = true }, ct), cancellationToken)
                    .ConfigureAwait(false);
                deleted += keys.Count;
            }

            // The listing goes on from where it was: the keys deleted are before the continuation point.
            continuation = page.IsTruncated == true ? page.NextContinuationToken : null;
        }
        while (continuation is not null);

        await AbortUploadsAsync(prefix, cancellationToken).ConfigureAwait(false);
        return deleted;
    }

    /// <summary>Disposes the S3 client.</summary>
    public void Dispose()
    {
        _client.Dispose();
        _streamedPut.Dispose();
    }

    private string Root => _options.Location.Prefix.Length == 0 ? "" : _options.Location.Prefix + "/";

    private async Task AbortUploadsAsync(string prefix, CancellationToken cancellationToken)
    {
        ListMultipartUploadsResponse? uploads = null;
        await CallAsync($"list uploads under {prefix}", async ct =>
            uploads = await _client.ListMultipartUploadsAsync(new ListMultipartUploadsRequest { BucketName = Bucket, Prefix = prefix }, ct)
                .ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        foreach (var upload in uploads?.MultipartUploads ?? [])
        {
            await CallAsync($"abort the upload of {upload.Key}", ct => _client.AbortMultipartUploadAsync(
                new AbortMultipartUploadRequest { BucketName = Bucket, Key = upload.Key, UploadId = upload.UploadId }, ct), cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<bool> ExistsAsync(CancellationToken cancellationToken)
    {
        var exists = true;
        await CallAsync("look for the bucket", async ct =>
        {
            try
            {
                // A listing of one key needs only read access (HEAD bucket is refused to bucket-confined users on some servers).
                await _client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = Bucket, Prefix = Root, MaxKeys = 1 }, ct).ConfigureAwait(false);
            }
            catch (AmazonS3Exception e) when (S3Errors.IsNoSuchBucket(e))
            {
                exists = false;
            }
        }, cancellationToken).ConfigureAwait(false);
        return exists;
    }

    private async Task CallAsync(string what, Func<CancellationToken, Task> call, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            await call(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not StorageException)
        {
            var mapped = S3Errors.Map(e, what, null, Location, cancellationToken);
            if (ReferenceEquals(mapped, e))
            {
                throw;
            }

            throw mapped;
        }
    }

    private static string CheckedFolder(string folder)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        var trimmed = folder.Trim('/');
        if (trimmed.Split('/').Any(s => s is "" or "." or ".."))
        {
            throw new ArgumentException($"'{folder}' is not a folder name", nameof(folder));
        }

        return trimmed;
    }
}
