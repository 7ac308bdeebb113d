using System.Buffers;
using Cairn.Space.Domain;
using Cairn.Storage;
using Microsoft.AspNetCore.Http.Features;

namespace Cairn.Space.Apis.Repository;

/// <summary>Upload, download and delete of one object: streamed both ways, never buffered whole.</summary>
internal static class ObjectTransfer
{
    private const int CopyBufferSize = 1 << 20;

    public static async Task<IResult> UploadAsync(HttpContext context, string instance, string task, ObjectName name, RepositoryServices s)
    {
        var (target, refusal) = await s.ResolveAsync(context, instance, task, create: false).ConfigureAwait(false);
        if (target is null)
        {
            return refusal!;
        }

        if (!target.Principal.Access.MayAdd(name.Kind))
        {
            return RepositoryResults.Text(StatusCodes.Status403Forbidden, "this credential is read-only (it may only lock)");
        }

        var declared = context.Request.ContentLength;
        if (declared > s.Settings.MaxObjectBytes)
        {
            return RepositoryResults.Text(StatusCodes.Status413PayloadTooLarge, $"objects are limited to {s.Settings.MaxObjectBytes} bytes");
        }

        // Locks are exempt: restic must be able to lock a repository to restore from it.
        if (name.Kind != ObjectKind.Lock
            && await s.Quota.CheckUploadAsync(target.Principal.AccountId, context.RequestAborted).ConfigureAwait(false) is { } quota)
        {
            // Read the body first, so the client reads our answer instead of a reset connection.
            await DrainAsync(context, s.Settings.MaxObjectBytes).ConfigureAwait(false);
            s.Logger.LogInformation("Upload of {Object} to task {TaskId} refused: {Reason}", name, target.Task.Id, quota.Message);
            return RepositoryResults.Refusal(context, quota.StatusCode, quota.Message);
        }

        using var writeLock = await s.Locks.AcquireAsync(target.Task.Id, name.ToString(), context.RequestAborted).ConfigureAwait(false);
        await using var store = s.Storage.Open(target.Task.InstanceId, target.Task.Id);
        var existing = await SizeOrNullAsync(store, name, context.RequestAborted).ConfigureAwait(false);
        if (existing is { } size && (declared is null || declared == size) is false)
        {
            return RepositoryResults.Text(StatusCodes.Status409Conflict, $"{name} exists and objects are never overwritten");
        }

        if (existing is not null && declared is not null)
        {
            // Write once: the same name and length are the same content-addressed bytes.
            return RepositoryResults.Ok();
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = null; // UploadStream enforces Space:MaxObjectBytes instead
        }

        var body = new UploadStream(context.Request.Body, declared, s.Settings.MaxObjectBytes);
        try
        {
            await store.SaveAsync(name, body, context.RequestAborted).ConfigureAwait(false);
        }
        catch (ObjectExistsException)
        {
            return RepositoryResults.Text(StatusCodes.Status409Conflict, $"{name} exists and objects are never overwritten");
        }
        catch (Exception e) when (body.Failure is UploadTooLargeException)
        {
            s.Logger.LogInformation("Upload of {Object} to task {TaskId} refused: {Reason}", name, target.Task.Id, e.Message);
            return RepositoryResults.Text(StatusCodes.Status413PayloadTooLarge, body.Failure.Message);
        }
        catch (Exception e) when (body.Failure is not null || e is BadHttpRequestException or IOException or OperationCanceledException
                                  || e.InnerException is BadHttpRequestException or IOException)
        {
            s.Logger.LogInformation("Upload of {Object} to task {TaskId} broke off after {Bytes} bytes: {Reason}",
                name, target.Task.Id, body.BytesRead, body.Failure?.Message ?? e.Message);
            return RepositoryResults.Text(StatusCodes.Status400BadRequest, "the upload broke off; nothing was stored");
        }

        s.Metrics.Received(body.BytesRead);
        if (existing is null)
        {
            // Counted after the save so the counter never names bytes that are not there; CancellationToken.None
            // because the object is stored now, whatever happens to the connection.
            await s.Usage.ObjectAddedAsync(target.Task.Id, name, body.BytesRead, CancellationToken.None).ConfigureAwait(false);
        }

        return RepositoryResults.Ok();
    }

    public static async Task<IResult> DownloadAsync(HttpContext context, string instance, string task, ObjectName name, RepositoryServices s)
    {
        var (target, refusal) = await s.ResolveAsync(context, instance, task, create: false).ConfigureAwait(false);
        if (target is null)
        {
            return refusal!;
        }

        await using var store = s.Storage.Open(target.Task.InstanceId, target.Task.Id);
        if (await SizeOrNullAsync(store, name, context.RequestAborted).ConfigureAwait(false) is not { } size)
        {
            return RepositoryResults.Text(StatusCodes.Status404NotFound, $"{name} does not exist");
        }

        var range = new ByteRange(0, size);
        var partial = false;
        if (context.Request.Headers.Range.ToString() is { Length: > 0 } header)
        {
            switch (ByteRange.TryResolve(header, size, out range))
            {
                case RangeOutcome.Malformed:
                    return RepositoryResults.Text(StatusCodes.Status400BadRequest, "malformed Range header (one bytes= range is supported)");
                case RangeOutcome.Unsatisfiable:
                    context.Response.Headers.ContentRange = $"bytes */{size}";
                    return RepositoryResults.Text(StatusCodes.Status416RangeNotSatisfiable, "range outside the object");
            }

            partial = true;
        }

        var response = context.Response;
        response.StatusCode = partial ? StatusCodes.Status206PartialContent : StatusCodes.Status200OK;
        response.ContentType = "application/octet-stream";
        response.ContentLength = range.Length;
        response.Headers.AcceptRanges = "bytes";
        if (partial)
        {
            response.Headers.ContentRange = $"bytes {range.Offset}-{range.Last}/{size}";
        }

        if (HttpMethods.IsHead(context.Request.Method) || range.Length == 0)
        {
            return TypedResults.Empty;
        }

        await using var source = await store.OpenReadAsync(name, context.RequestAborted).ConfigureAwait(false);
        var sent = await CopyRangeAsync(source, response.Body, range, context.RequestAborted).ConfigureAwait(false);
        s.Metrics.Sent(sent);
        return TypedResults.Empty;
    }

    public static async Task<IResult> DeleteAsync(HttpContext context, string instance, string task, ObjectName name, RepositoryServices s)
    {
        var (target, refusal) = await s.ResolveAsync(context, instance, task, create: false).ConfigureAwait(false);
        if (target is null)
        {
            return refusal!;
        }

        if (!target.Principal.Access.MayDelete(name.Kind))
        {
            return RepositoryResults.Text(StatusCodes.Status403Forbidden,
                target.Principal.Access == CredentialAccess.AppendOnly
                    ? "append-only credential: only lock files can be deleted"
                    : "this credential is read-only");
        }

        using var writeLock = await s.Locks.AcquireAsync(target.Task.Id, name.ToString(), context.RequestAborted).ConfigureAwait(false);
        await using var store = s.Storage.Open(target.Task.InstanceId, target.Task.Id);
        if (await SizeOrNullAsync(store, name, context.RequestAborted).ConfigureAwait(false) is not { } size)
        {
            return RepositoryResults.Text(StatusCodes.Status404NotFound, $"{name} does not exist");
        }

        try
        {
            await store.DeleteAsync(name, context.RequestAborted).ConfigureAwait(false);
        }
        catch (ObjectNotFoundException)
        {
            return RepositoryResults.Text(StatusCodes.Status404NotFound, $"{name} does not exist");
        }

        await s.Usage.ObjectRemovedAsync(target.Task.Id, name, size, CancellationToken.None).ConfigureAwait(false);
        return RepositoryResults.Ok();
    }

    private static async Task<long?> SizeOrNullAsync(IObjectStore store, ObjectName name, CancellationToken cancellationToken)
    {
        try
        {
            return (await store.StatAsync(name, cancellationToken).ConfigureAwait(false)).Size;
        }
        catch (ObjectNotFoundException)
        {
            return null;
        }
        catch (StoreNotFoundException)
        {
            return null;
        }
    }

    private static async Task<long> CopyRangeAsync(Stream source, Stream destination, ByteRange range, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(CopyBufferSize);
        try
        {
            if (source.CanSeek)
            {
                source.Seek(range.Offset, SeekOrigin.Begin);
            }
            else
            {
                await SkipAsync(source, range.Offset, buffer, cancellationToken).ConfigureAwait(false);
            }

            var left = range.Length;
            while (left > 0)
            {
                var read = await source.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, left)), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    throw new StorageException("object ended before the range did");
                }

                await destination.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                left -= read;
            }

            return range.Length;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static async Task SkipAsync(Stream source, long count, byte[] buffer, CancellationToken cancellationToken)
    {
        while (count > 0)
        {
            var read = await source.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, count)), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                throw new StorageException("object ended before the range began");
            }

            count -= read;
        }
    }

    private static async Task DrainAsync(HttpContext context, long maxBytes)
    {
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = maxBytes;
        }

        var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            while (await context.Request.Body.ReadAsync(buffer, context.RequestAborted).ConfigureAwait(false) > 0)
            {
            }
        }
        catch (Exception e) when (e is BadHttpRequestException or IOException)
        {
            // The client gave up first; there is nobody left to answer.
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
