using System.Globalization;
using Cairn.Storage;

namespace Cairn.Space.Backups.Protocol;

/// <summary>
/// Answers a transient failure of the object store (an S3 timeout, a 5xx from RGW) with 503 and <c>Retry-After</c>
/// instead of a 500, for every route of the REST protocol: restic retries it, and the operator sees a warning, not an
/// error. Permanent storage errors, and failures after the response has started, pass through unchanged.
/// </summary>
internal sealed class StorageTroubleFilter(ILogger<StorageTroubleFilter> logger) : IEndpointFilter
{
    public const int RetryAfterSeconds = 5;

    public const string Message = "the storage behind this repository is unavailable for now; retry in a few seconds";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var http = context.HttpContext;
        try
        {
            return await next(context).ConfigureAwait(false);
        }
        catch (StorageException e) when (e.IsTransient && !http.Response.HasStarted)
        {
            var taskId = http.Features.Get<RepositoryTarget>()?.Task.Id;
            logger.LogWarning("Storage unavailable for {Method} {Path} of task {TaskId}; answered 503: {Reason}",
                http.Request.Method, http.Request.Path, taskId, e.Message);

            // A download may have set its status and Content-Length before the store failed.
            http.Response.Clear();
            http.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
            return RepositoryResults.Text(StatusCodes.Status503ServiceUnavailable, Message);
        }
    }
}
