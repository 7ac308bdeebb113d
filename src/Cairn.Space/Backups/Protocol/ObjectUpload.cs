using System.Buffers;
using Cairn.Space.Backups;
using Cairn.Space.Instances;
using Cairn.Space.Usage;
using Cairn.Storage;
using Microsoft.AspNetCore.Http.Features;

namespace Cairn.Space.Backups.Protocol;

/// <summary>
/// Upload of one object: every kind against its size limit, the account's quota and cap, and its name (the SHA-256
/// of its content, but for <c>config</c>); streamed, hashed as it goes, never buffered whole.
/// </summary>
internal static class ObjectUpload
{
    public static async Task<IResult> UploadAsync(HttpContext context, string instance, string task, ObjectName name, RepositoryServices s)
    {
        var (target, refusal) = await s.ResolveAsync(context, instance, task, create: false).ConfigureAwait(false);
        if (target is null)
        {
            return refusal!;
        }

        if (!target.Principal.Access.MayAdd(name.Kind))
        {
            return RepositoryResults.Text(StatusCodes.Status403Forbidden, "this credential is read-only: it may only add lock files");
        }

        var maxBytes = s.Limits.MaxBytesFor(name.Kind, s.Settings.MaxObjectBytes);
        var minBytes = RepositoryLimits.MinBytesFor(name.Kind);
        var declared = context.Request.ContentLength;
        if (declared > maxBytes)
        {
            return RepositoryResults.Refusal(context, StatusCodes.Status413PayloadTooLarge, $"{KindWords(name.Kind)} are limited to {maxBytes} bytes");
        }

        if (declared < minBytes)
        {
            return RepositoryResults.Refusal(context, StatusCodes.Status400BadRequest,
                $"{KindWords(name.Kind)} have at least {minBytes} bytes; this one has {declared}");
        }

        if (await s.Quota.CheckUploadAsync(target.Principal.AccountId, context.RequestAborted).ConfigureAwait(false) is { } quota
            && !LockMayPassQuota(name.Kind, quota))
        {
            return await RefuseAfterDrainAsync(context, s, target, name, maxBytes, quota.StatusCode, quota.Message).ConfigureAwait(false);
        }

        await using var store = s.Storage.Open(target.Task.InstanceId, target.Task.Id);
        if (name.Kind == ObjectKind.Lock && await CountLocksAsync(store, context.RequestAborted).ConfigureAwait(false) is var locks
            && locks >= s.Limits.MaxLocksPerRepository)
        {
            return await RefuseAfterDrainAsync(context, s, target, name, maxBytes, StatusCodes.Status409Conflict,
                $"Too many locks: this repository holds {locks} lock files, the most Space keeps; remove stale ones (restic unlock)").ConfigureAwait(false);
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = null; // UploadStream enforces the kind's limit instead
        }

        if (name.Kind == ObjectKind.Config)
        {
            var existing = await ObjectTransfer.SizeOrNullAsync(store, name, context.RequestAborted).ConfigureAwait(false);
            if (existing is { } size && (declared is null || declared == size) is false)
            {
                return Exists(name);
            }

            return await ConfigUpload.UploadAsync(context, s, target, store, declared, maxBytes, existing).ConfigureAwait(false);
        }

        // Write once is the store's (no look first: a request more for every object): the same name and length are
        // accepted again as the same content-addressed bytes, a client's retry, and counted below if the replica that
        // stored them stopped before it counted them; another length is refused (409).
        using var body = new UploadStream(context.Request.Body, declared, maxBytes, minBytes, name.Name);
        if (await SaveAsync(context, s, target, store, name, body, maxBytes).ConfigureAwait(false) is { } failed)
        {
            return failed;
        }

        // Counted after the save so the counter never names bytes that are not there, and once: a racing upload of
        // the same object on any replica finds the row made. CancellationToken.None: the object is stored now.
        if (await s.Usage.ObjectAddedAsync(target.Task.Id, name, body.BytesRead, null, CancellationToken.None).ConfigureAwait(false)
            && name.Kind == ObjectKind.Lock)
        {
            await s.LockOwners.RecordAsync(target.Task.Id, name, target.Principal.Username, CancellationToken.None).ConfigureAwait(false);
        }

        return RepositoryResults.Ok();
    }

    internal static IResult Exists(ObjectName name)
        => RepositoryResults.Text(StatusCodes.Status409Conflict, $"{name} exists and objects are never overwritten");

    /// <summary>Streams the body into the store; null when saved, else the answer for why not (nothing was stored).</summary>
    internal static async Task<IResult?> SaveAsync(HttpContext context, RepositoryServices s, RepositoryTarget target, IObjectStore store,
        ObjectName name, UploadStream body, long maxBytes)
    {
        try
        {
            // The client's body is read once; a transient failure goes back to the client as 503, and it retries.
            await store.SaveAsync(name, ObjectContent.OnePass(body), context.RequestAborted).ConfigureAwait(false);
            s.Metrics.Received(body.BytesRead);
            return null;
        }
        catch (ObjectExistsException)
        {
            return Exists(name);
        }
        catch (ContentMismatchException) // the store's server checked the name instead of UploadStream
        {
            return await RefuseMismatchAsync(context, s, target, store, name, "content does not match its name").ConfigureAwait(false);
        }
        catch (Exception e) when (body.Failure is UploadTooLargeException)
        {
            s.Logger.LogInformation("Upload of {Object} to task {TaskId} refused: {Reason}", name, target.Task.Id, e.Message);
            return RepositoryResults.Refusal(context, StatusCodes.Status413PayloadTooLarge, $"{KindWords(name.Kind)} are limited to {maxBytes} bytes");
        }
        catch (Exception) when (body.Failure is UploadRefusedException { IsMismatch: true } refused)
        {
            return await RefuseMismatchAsync(context, s, target, store, name, refused.Message).ConfigureAwait(false);
        }
        catch (Exception) when (body.Failure is UploadRefusedException refused)
        {
            s.Logger.LogInformation("Upload of {Object} to task {TaskId} refused: {Reason}", name, target.Task.Id, refused.Message);
            return RepositoryResults.Refusal(context, StatusCodes.Status400BadRequest, refused.Message + "; nothing was stored");
        }
        catch (Exception e) when (body.Failure is not null || e is BadHttpRequestException or IOException or OperationCanceledException
                                  || e.InnerException is BadHttpRequestException or IOException)
        {
            s.Logger.LogInformation("Upload of {Object} to task {TaskId} broke off after {Bytes} bytes: {Reason}",
                name, target.Task.Id, body.BytesRead, body.Failure?.Message ?? e.Message);
            return RepositoryResults.Text(StatusCodes.Status400BadRequest, "the upload broke off; nothing was stored");
        }
    }

    /// <summary>Bytes that are not what their name says: an overwrite when the name is taken (409), else a 400.</summary>
    private static async Task<IResult> RefuseMismatchAsync(HttpContext context, RepositoryServices s, RepositoryTarget target, IObjectStore store,
        ObjectName name, string reason)
    {
        if (await ObjectTransfer.SizeOrNullAsync(store, name, context.RequestAborted).ConfigureAwait(false) is not null)
        {
            return Exists(name); // other bytes under a name that is taken: an overwrite, which is what to tell
        }

        s.Logger.LogInformation("Upload of {Object} to task {TaskId} refused: {Reason}", name, target.Task.Id, reason);
        return RepositoryResults.Refusal(context, StatusCodes.Status400BadRequest, reason + "; nothing was stored");
    }

    /// <summary>
    /// Over the cap or with a balance unpaid, a lock file is still accepted (its bytes counted): restic must lock a
    /// repository to restore from it or to prune it back under the cap. The size and count limits bound what passes.
    /// A closed account gets nothing.
    /// </summary>
    private static bool LockMayPassQuota(ObjectKind kind, Usage.UploadRefusal refusal)
        => kind == ObjectKind.Lock && refusal.StatusCode is StatusCodes.Status402PaymentRequired or StatusCodes.Status507InsufficientStorage;

    internal static string KindWords(ObjectKind kind) => kind switch
    {
        ObjectKind.Lock => "lock files",
        ObjectKind.Key => "key files",
        ObjectKind.Config => "config files",
        ObjectKind.Snapshot => "snapshot files",
        ObjectKind.Index => "index files",
        _ => "objects",
    };

    private static async Task<int> CountLocksAsync(IObjectStore store, CancellationToken cancellationToken)
    {
        var count = 0;
        try
        {
            await foreach (var _ in store.ListAsync(ObjectKind.Lock, cancellationToken).ConfigureAwait(false))
            {
                count++;
            }
        }
        catch (StoreNotFoundException)
        {
            return 0;
        }

        return count;
    }

    private static async Task<IResult> RefuseAfterDrainAsync(HttpContext context, RepositoryServices s, RepositoryTarget target, ObjectName name,
        long maxBytes, int status, string message)
    {
        // Read the body first, so the client reads our answer instead of a reset connection.
        await DrainAsync(context, maxBytes).ConfigureAwait(false);
        s.Logger.LogInformation("Upload of {Object} to task {TaskId} refused: {Reason}", name, target.Task.Id, message);
        return RepositoryResults.Refusal(context, status, message);
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
            // The client gave up first, or sent more than the limit; there is nobody left to answer.
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
