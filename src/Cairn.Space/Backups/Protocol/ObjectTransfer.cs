using System.Buffers;
using Cairn.Space.Backups;
using Cairn.Space.Instances;
using Cairn.Space.Usage;
using Cairn.Storage;

namespace Cairn.Space.Backups.Protocol;

/// <summary>Download and delete of one object (uploads: <see cref="ObjectUpload"/>); streamed, never buffered whole.</summary>
internal static class ObjectTransfer
{
    private const int CopyBufferSize = 1 << 20;

    public static async Task<IResult> DownloadAsync(HttpContext context, string instance, string task, ObjectName name, RepositoryServices s)
    {
        var (target, refusal) = await s.ResolveAsync(context, instance, task, create: false).ConfigureAwait(false);
        if (target is null)
        {
            return refusal!;
        }

        await using var store = s.Storage.Open(target.Task.InstanceId, target.Task.Id);
        return await SendAsync(context, store, name, s.Metrics).ConfigureAwait(false);
    }

    /// <summary>GET or HEAD of one object of an opened store, with a single <c>Range</c>; shared by the console's read-only route.</summary>
    public static async Task<IResult> SendAsync(HttpContext context, IObjectStore store, ObjectName name, SpaceMetrics metrics)
    {
        var header = context.Request.Headers.Range.ToString();
        if (HttpMethods.IsHead(context.Request.Method) || !ByteRange.TryReadStart(header, out var offset, out var length))
        {
            return await SendAfterStatAsync(context, store, name, header, metrics).ConfigureAwait(false);
        }

        // A GET from a known offset (restic's ranged reads, whole-object reads) opens the object at once: the answer
        // tells its size, so no HEAD comes first (on S3 that is one round trip to the store instead of two).
        ObjectRead read;
        try
        {
            read = await store.OpenWithSizeAsync(name, offset, length, context.RequestAborted).ConfigureAwait(false);
        }
        catch (Exception e) when (e is ObjectNotFoundException or StoreNotFoundException)
        {
            return NotFound(name);
        }

        await using (read.Body.ConfigureAwait(false))
        {
            if (Answer(context, header, read.ObjectSize, out _) is { } refusal)
            {
                return refusal;
            }

            await CopyBodyAsync(context, read.Body, metrics).ConfigureAwait(false);
            return TypedResults.Empty;
        }
    }

    private static async Task<IResult> SendAfterStatAsync(HttpContext context, IObjectStore store, ObjectName name, string header, SpaceMetrics metrics)
    {
        if (await SizeOrNullAsync(store, name, context.RequestAborted).ConfigureAwait(false) is not { } size)
        {
            return NotFound(name);
        }

        if (Answer(context, header, size, out var range) is { } refusal)
        {
            return refusal;
        }

        if (HttpMethods.IsHead(context.Request.Method) || range.Length == 0)
        {
            return TypedResults.Empty;
        }

        // Only the range is read from the store (a ranged GET on S3), not the object up to it.
        await using var source = await store.OpenReadAsync(name, range.Offset, range.Length, context.RequestAborted).ConfigureAwait(false);
        await CopyBodyAsync(context, source, metrics).ConfigureAwait(false);
        return TypedResults.Empty;
    }

    /// <summary>Sets the status and headers for <paramref name="header"/> over an object of <paramref name="size"/> bytes, or returns the refusal.</summary>
    private static IResult? Answer(HttpContext context, string header, long size, out ByteRange range)
    {
        range = new ByteRange(0, size);
        var partial = false;
        if (header.Length > 0)
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

        return null;
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
                    : "this credential is read-only: it may only remove the lock files it created");
        }

        // Space cannot read a lock, so whose it is comes from who wrote it: never the owner's, never a prune's.
        if (target.Principal.Access == CredentialAccess.ReadOnly
            && !await s.LockOwners.WasWrittenByAsync(target.Task.Id, name, target.Principal.Username, context.RequestAborted).ConfigureAwait(false))
        {
            return RepositoryResults.Text(StatusCodes.Status403Forbidden,
                "this credential is read-only: it may only remove the lock files it created, and this one it did not");
        }

        await using var store = s.Storage.Open(target.Task.InstanceId, target.Task.Id);
        try
        {
            await store.DeleteAsync(name, context.RequestAborted).ConfigureAwait(false);
        }
        catch (ObjectNotFoundException)
        {
            // Deleted by a racing request, maybe on another replica that stopped before it uncounted the bytes:
            // uncount them now (once, whoever does it), since they are not stored.
            await s.Usage.ObjectRemovedAsync(target.Task.Id, name, CancellationToken.None).ConfigureAwait(false);
            return RepositoryResults.Text(StatusCodes.Status404NotFound, $"{name} does not exist");
        }

        // CancellationToken.None: the object is gone now, whatever happens to the connection.
        await s.Usage.ObjectRemovedAsync(target.Task.Id, name, CancellationToken.None).ConfigureAwait(false);
        if (name.Kind == ObjectKind.Lock)
        {
            await s.LockOwners.ForgetAsync(target.Task.Id, name, CancellationToken.None).ConfigureAwait(false);
        }

        return RepositoryResults.Ok();
    }

    internal static async Task<long?> SizeOrNullAsync(IObjectStore store, ObjectName name, CancellationToken cancellationToken)
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

    private static async Task CopyBodyAsync(HttpContext context, Stream source, SpaceMetrics metrics)
    {
        var length = context.Response.ContentLength ?? 0;
        if (length > 0)
        {
            metrics.Sent(await CopyAsync(source, context.Response.Body, length, context.RequestAborted).ConfigureAwait(false));
        }
    }

    private static IResult NotFound(ObjectName name) => RepositoryResults.Text(StatusCodes.Status404NotFound, $"{name} does not exist");

    private static async Task<long> CopyAsync(Stream source, Stream destination, long length, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(CopyBufferSize);
        try
        {
            var left = length;
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

            return length;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
