using Amazon.S3.Model;

namespace Cairn.Storage;

/// <remarks>
/// A stream that declares its length and that it hashes to its name (<see cref="IDeclaredContent"/>: Space's upload
/// bodies) goes up in one streamed PUT of any size up to S3's limit for one, whose signature names the hash; any other
/// stream as below.
/// Write once. A single PUT carries <c>If-None-Match: *</c>, so the server itself refuses to replace an object
/// (Ceph RGW, MinIO and AWS honour it; the 412 is then told apart by the existing object's size: the same size is
/// the same content-addressed bytes and succeeds, another size is <see cref="ObjectExistsException"/>). A
/// multipart upload looks for the object before it starts and again before it completes, and sends
/// <c>If-None-Match: *</c> with the completion too; servers that ignore it there (RGW 16 does) leave a window
/// between that last look and the completion in which a racing upload of the same name is replaced. Names are
/// the SHA-256 of the bytes, so a racing writer of the same name writes the same bytes: only a broken or hostile
/// writer could use the window. An upload that fails or is cancelled part way is aborted, which leaves no object
/// (a PUT is atomic; parts are invisible until completion and dropped by the abort).
/// </remarks>
internal sealed partial class S3ObjectStore
{
    private static readonly TimeSpan AbortTimeout = TimeSpan.FromSeconds(30);

    /// <summary>The largest object S3 takes in one PUT (5 GiB).</summary>
    private const long MaxSinglePutBytes = 5L << 30;

    public async Task SaveAsync(ObjectName name, ObjectContent source, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        cancellationToken.ThrowIfCancellationRequested();
        await using var content = source.Open();
        if (name.Kind != ObjectKind.Config && source.Declared is { } declared && declared.TryGetDeclaredLength(out var length)
            && length <= MaxSinglePutBytes)
        {
            declared.HashCheckedByStore(); // RGW, MinIO and AWS check the payload hash the signature names
            await PutStreamedAsync(name, content, length, cancellationToken).ConfigureAwait(false);
            return;
        }

        using var parts = new S3UploadParts(content, _options.PartSize);
        var first = await parts.NextAsync(cancellationToken).ConfigureAwait(false);
        if (parts.IsLast)
        {
            await PutAsync(name, first, parts.Total, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await PutInPartsAsync(name, parts, first, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task PutAsync(ObjectName name, Stream body, long length, CancellationToken cancellationToken)
    {
        var conflict = false;
        await CallAsync($"save {name}", name, async ct =>
        {
            var request = new PutObjectRequest
            {
                BucketName = Bucket,
                Key = _layout.KeyOf(name),
                InputStream = body,
                AutoCloseStream = false,
                ContentType = "application/octet-stream",
                IfNoneMatch = "*",
            };
            try
            {
                await _client.PutObjectAsync(request, ct).ConfigureAwait(false);
            }
            catch (Exception e) when (S3Errors.IsConditionFailed(e))
            {
                conflict = true;
            }
        }, cancellationToken).ConfigureAwait(false);

        if (conflict)
        {
            await AcceptExistingOrThrowAsync(name, length, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task PutStreamedAsync(ObjectName name, Stream content, long length, CancellationToken cancellationToken)
    {
        var stored = true;
        var what = $"save {name}";
        await CallAsync(what, name, async ct => stored = await _streamedPut.PutIfAbsentAsync(
            _options.Location, _layout.KeyOf(name), content, length, name.Name, what, name, ct).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        if (!stored)
        {
            await AcceptExistingOrThrowAsync(name, length, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task PutInPartsAsync(ObjectName name, S3UploadParts parts, Stream first, CancellationToken cancellationToken)
    {
        if (await TryStatAsync(name, cancellationToken).ConfigureAwait(false) is { } existing)
        {
            ThrowUnlessSameSize(name, existing.Size, await parts.CountRestAsync(cancellationToken).ConfigureAwait(false));
            return;
        }

        var key = _layout.KeyOf(name);
        string? uploadId = null;
        await CallAsync($"start saving {name}", name, async ct =>
        {
            var started = await _client.InitiateMultipartUploadAsync(
                new InitiateMultipartUploadRequest { BucketName = Bucket, Key = key, ContentType = "application/octet-stream" }, ct).ConfigureAwait(false);
            uploadId = started.UploadId;
        }, cancellationToken).ConfigureAwait(false);

        var completed = false;
        try
        {
            var etags = new List<PartETag>();
            var part = first;
            while (true)
            {
                etags.Add(await UploadPartAsync(name, key, uploadId!, parts.Count, part, cancellationToken).ConfigureAwait(false));
                if (parts.IsLast)
                {
                    break;
                }

                part = await parts.NextAsync(cancellationToken).ConfigureAwait(false);
            }

            cancellationToken.ThrowIfCancellationRequested();
            if (await TryStatAsync(name, cancellationToken).ConfigureAwait(false) is { } raced)
            {
                ThrowUnlessSameSize(name, raced.Size, parts.Total); // finally aborts ours: the object is there
                return;
            }

            completed = await CompleteAsync(name, key, uploadId!, etags, cancellationToken).ConfigureAwait(false);
            if (!completed)
            {
                await AcceptExistingOrThrowAsync(name, parts.Total, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            if (!completed)
            {
                await AbortQuietlyAsync(key, uploadId!).ConfigureAwait(false);
            }
        }
    }

    private async Task<PartETag> UploadPartAsync(ObjectName name, string key, string uploadId, int number, Stream body, CancellationToken cancellationToken)
    {
        PartETag? etag = null;
        await CallAsync($"save part {number} of {name}", name, async ct =>
        {
            var request = new UploadPartRequest
            {
                BucketName = Bucket,
                Key = key,
                UploadId = uploadId,
                PartNumber = number,
                InputStream = body,
                PartSize = body.Length,
            };
            var response = await _client.UploadPartAsync(request, ct).ConfigureAwait(false);
            etag = new PartETag(number, response.ETag);
        }, cancellationToken).ConfigureAwait(false);
        return etag!;
    }

    /// <summary>Completes the upload; false when the server refused because the object exists by now.</summary>
    private async Task<bool> CompleteAsync(ObjectName name, string key, string uploadId, List<PartETag> etags, CancellationToken cancellationToken)
    {
        var done = true;
        await CallAsync($"finish saving {name}", name, async ct =>
        {
            var request = new CompleteMultipartUploadRequest { BucketName = Bucket, Key = key, UploadId = uploadId, PartETags = etags, IfNoneMatch = "*" };
            try
            {
                await _client.CompleteMultipartUploadAsync(request, ct).ConfigureAwait(false);
            }
            catch (Exception e) when (S3Errors.IsConditionFailed(e))
            {
                done = false;
            }
        }, cancellationToken).ConfigureAwait(false);
        return done;
    }

    /// <summary>
    /// Drops the parts of an upload that will not complete. Runs even when the caller cancelled (with its own
    /// deadline); if it fails, the parts stay invisible to readers and listings until the bucket's lifecycle rule
    /// for incomplete uploads removes them (docs/operations.md).
    /// </summary>
    private async Task AbortQuietlyAsync(string key, string uploadId)
    {
        using var deadline = new CancellationTokenSource(AbortTimeout);
        try
        {
            await _client.AbortMultipartUploadAsync(new AbortMultipartUploadRequest { BucketName = Bucket, Key = key, UploadId = uploadId }, deadline.Token)
                .ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Best effort: the failure the caller sees is the one that stopped the upload.
        }
    }

    /// <summary>After a conditional write lost: the object there now must have the size we meant to write.</summary>
    private async Task AcceptExistingOrThrowAsync(ObjectName name, long length, CancellationToken cancellationToken)
    {
        if (await TryStatAsync(name, cancellationToken).ConfigureAwait(false) is not { } existing)
        {
            // 409: another write of the name was in progress and has failed since; trying again may succeed.
            throw new StorageException($"save {name}: a concurrent save of the same name got in the way", isTransient: true);
        }

        ThrowUnlessSameSize(name, existing.Size, length);
    }

    private static void ThrowUnlessSameSize(ObjectName name, long existing, long incoming)
    {
        if (existing != incoming)
        {
            throw new ObjectExistsException(name);
        }
    }
}
