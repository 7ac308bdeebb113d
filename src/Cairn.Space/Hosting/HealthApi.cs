using System.Data.Common;
using Cairn.Space.Backups;
using Cairn.Space.Backups.Stores;
using Cairn.Space.CloudRestore;
using Cairn.Space.Data;
using Cairn.Space.Usage;
using Cairn.Storage;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Space.Hosting;

/// <summary>
/// What load balancers ask: <c>/healthz</c> is liveness (the process answers), <c>/healthz/ready</c> is readiness
/// (the database and the repository store answer too), so a replica that lost either is taken out of rotation
/// without being restarted.
/// </summary>
public static class HealthApi
{
    /// <summary>Each dependency gets this long; a balancer's check must end before its own timeout.</summary>
    private static readonly TimeSpan CheckTimeout = TimeSpan.FromSeconds(3);

    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", () => TypedResults.Text("ok")).ExcludeFromDescription();
        app.MapGet("/healthz/ready", ReadyAsync).ExcludeFromDescription();
        return app;
    }

    private static async Task<IResult> ReadyAsync(HttpContext context, SpaceDbContext db, IRepositoryStorage storage, HostingSettings hosting,
        ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var failures = new List<(string Dependency, string Reason)>(2);
        if (await FailureOfAsync(ct => DatabaseAnswersAsync(db, ct), cancellationToken).ConfigureAwait(false) is { } database)
        {
            failures.Add(("database", database));
        }

        if (await FailureOfAsync(storage.CheckReachableAsync, cancellationToken).ConfigureAwait(false) is { } store)
        {
            failures.Add(("store", store));
        }

        if (failures.Count == 0)
        {
            return TypedResults.Text("ready");
        }

        var detailed = string.Join("; ", failures.Select(f => $"{f.Dependency}: {f.Reason}"));
        loggers.CreateLogger(typeof(HealthApi)).LogWarning("Not ready: {Failures}", detailed);

        // The reasons may name hosts, buckets and users: only the service networks (the balancer, the operator's
        // monitoring) read them; anyone else learns which dependency failed and where to look.
        var answer = hosting.IsServiceClient(context.Connection.RemoteIpAddress)
            ? detailed
            : string.Join("; ", failures.Select(f => f.Dependency)) + " (the reason is in Space's log)";
        return TypedResults.Text("not ready: " + answer, statusCode: StatusCodes.Status503ServiceUnavailable);
    }

    private static async Task DatabaseAnswersAsync(SpaceDbContext db, CancellationToken cancellationToken)
    {
        if (!await db.Database.CanConnectAsync(cancellationToken).ConfigureAwait(false))
        {
            throw new InvalidOperationException("it does not answer");
        }
    }

    /// <summary>Null when the check passed in time, else why not (the message only, no stack).</summary>
    private static async Task<string?> FailureOfAsync(Func<CancellationToken, Task> check, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(CheckTimeout);
        try
        {
            await check(deadline.Token).ConfigureAwait(false);
            return null;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return $"no answer within {CheckTimeout.TotalSeconds:0} s";
        }
        catch (Exception e) when (e is StorageException or InvalidOperationException or DbException or IOException or TimeoutException)
        {
            return e.Message;
        }
    }
}
