using System.Security.Cryptography;
using Cairn.Storage;

namespace Cairn.Space.Backups.Protocol;

/// <summary>
/// Upload of <c>config</c>, the one object not named by its content, so the same name may carry other bytes of the
/// same length, which no store's size check tells apart. Write-once holds across replicas through the database:
/// the first upload claims the config's row (a conditional insert holding the bytes' SHA-256, its bytes counted)
/// and only then stores it; any later or racing upload is compared with the bytes stored, or with the claim's hash
/// while the claimer is still storing. The same bytes are accepted again, other bytes refused (409). A config is a
/// few hundred bytes (at most <c>Space:Limits:MaxConfigBytes</c>), so it is read whole before anything is decided.
/// </summary>
internal static class ConfigUpload
{
    public static async Task<IResult> UploadAsync(HttpContext context, RepositoryServices s, RepositoryTarget target, IObjectStore store,
        long? declared, long maxBytes, long? storedSize)
    {
        var name = ObjectName.Config;
        var bytes = new MemoryStream();
        using (var body = new UploadStream(context.Request.Body, declared, maxBytes, 0, expectedSha256: null))
        {
            try
            {
                await body.CopyToAsync(bytes, context.RequestAborted).ConfigureAwait(false);
            }
            catch (Exception e) when (body.Failure is UploadTooLargeException || e is UploadTooLargeException)
            {
                return RepositoryResults.Refusal(context, StatusCodes.Status413PayloadTooLarge, $"config files are limited to {maxBytes} bytes");
            }
            catch (Exception e) when (body.Failure is not null || e is BadHttpRequestException or IOException or OperationCanceledException)
            {
                s.Logger.LogInformation("Upload of config to task {TaskId} broke off: {Reason}", target.Task.Id, body.Failure?.Message ?? e.Message);
                return RepositoryResults.Text(StatusCodes.Status400BadRequest, "the upload broke off; nothing was stored");
            }
        }

        var content = bytes.ToArray();
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(content));
        if (storedSize is { } size)
        {
            return size != content.Length
                ? ObjectUpload.Exists(name)
                : await CompareWithStoredAsync(s, target, store, content, sha256, context.RequestAborted).ConfigureAwait(false);
        }

        var claimed = await s.Usage.ObjectAddedAsync(target.Task.Id, name, content.Length, sha256, CancellationToken.None).ConfigureAwait(false);
        if (!claimed)
        {
            // Claimed first by another upload, here or on another replica: the same bytes may be stored again.
            var claim = await s.Ledger.FindAsync(target.Task.Id, name, context.RequestAborted).ConfigureAwait(false);
            if (claim is not null && !string.Equals(claim.Sha256, sha256, StringComparison.Ordinal))
            {
                return ObjectUpload.Exists(name);
            }
        }

        try
        {
            await store.SaveAsync(name, content, context.RequestAborted).ConfigureAwait(false);
        }
        catch (Exception e) when (e is StorageException or IOException or OperationCanceledException)
        {
            if (claimed)
            {
                // Nothing of ours is stored (another config, stored before rows existed, or a failure): the claim goes.
                await s.Usage.ObjectRemovedAsync(target.Task.Id, name, CancellationToken.None).ConfigureAwait(false);
            }

            if (e is ObjectExistsException)
            {
                return ObjectUpload.Exists(name);
            }

            throw;
        }

        s.Metrics.Received(content.Length);
        return RepositoryResults.Ok();
    }

    /// <summary>A config is stored already: the same bytes are accepted (and counted if nobody has yet), others refused.</summary>
    private static async Task<IResult> CompareWithStoredAsync(RepositoryServices s, RepositoryTarget target, IObjectStore store, byte[] content,
        string sha256, CancellationToken cancellationToken)
    {
        var stored = new byte[content.Length];
        await store.ReadAtAsync(ObjectName.Config, 0, stored, cancellationToken).ConfigureAwait(false);
        if (!stored.AsSpan().SequenceEqual(content))
        {
            return ObjectUpload.Exists(ObjectName.Config);
        }

        await s.Usage.ObjectAddedAsync(target.Task.Id, ObjectName.Config, content.Length, sha256, CancellationToken.None).ConfigureAwait(false);
        return RepositoryResults.Ok();
    }
}
