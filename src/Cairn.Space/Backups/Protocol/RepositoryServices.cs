using Cairn.Space.Accounts;
using Cairn.Space.Backups;
using Cairn.Space.Backups.Stores;
using Cairn.Space.Data;
using Cairn.Space.Instances;
using Cairn.Space.Usage;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Space.Backups.Protocol;

/// <summary>What the REST handlers need, bundled for <c>[AsParameters]</c>.</summary>
public sealed class RepositoryServices(
    SpaceDbContext db,
    BackupTaskService tasks,
    IRepositoryStorage storage,
    UsageRecorder usage,
    QuotaPolicy quota,
    SpaceSettings settings,
    SpaceMetrics metrics,
    StoredObjectLedger ledger,
    RepositoryLimits limits,
    LockOwnership lockOwners,
    ILogger<RepositoryServices> logger)
{
    public SpaceDbContext Db { get; } = db;
    public BackupTaskService Tasks { get; } = tasks;
    public IRepositoryStorage Storage { get; } = storage;
    public UsageRecorder Usage { get; } = usage;
    public QuotaPolicy Quota { get; } = quota;
    public SpaceSettings Settings { get; } = settings;
    public SpaceMetrics Metrics { get; } = metrics;
    public StoredObjectLedger Ledger { get; } = ledger;
    public RepositoryLimits Limits { get; } = limits;
    public LockOwnership LockOwners { get; } = lockOwners;
    public ILogger<RepositoryServices> Logger { get; } = logger;

    /// <summary>
    /// Finds the task a request addresses, after checking the credential may reach it: its own instance only, and
    /// its own task only when it is a task's Backup URL. <paramref name="create"/> makes a missing task.
    /// </summary>
    public async Task<(RepositoryTarget? Target, IResult? Refusal)> ResolveAsync(
        HttpContext context, string instance, string task, bool create)
    {
        var principal = context.User.GetRepositoryPrincipal();
        if (!string.Equals(principal.InstanceName, instance, StringComparison.Ordinal))
        {
            return (null, RepositoryResults.Text(StatusCodes.Status403Forbidden, "this credential is for another instance"));
        }

        if (!Names.IsValidTaskName(task))
        {
            return (null, RepositoryResults.Text(StatusCodes.Status400BadRequest, "invalid task name"));
        }

        var found = await Tasks.FindAsync(principal.InstanceId, task, context.RequestAborted).ConfigureAwait(false);
        if (principal.TaskId is { } onlyTask && found?.Id != onlyTask)
        {
            return (null, RepositoryResults.Text(StatusCodes.Status403Forbidden, "this credential is for another backup task"));
        }

        if (found is null)
        {
            if (!create)
            {
                return (null, RepositoryResults.Text(StatusCodes.Status404NotFound, "no repository here"));
            }

            if (!principal.Access.MayCreateRepository())
            {
                return (null, RepositoryResults.Text(StatusCodes.Status403Forbidden, "this credential cannot create repositories"));
            }

            var owner = await Db.Instances.SingleAsync(i => i.Id == principal.InstanceId, context.RequestAborted).ConfigureAwait(false);
            found = await Tasks.GetOrCreateAsync(owner, task, context.RequestAborted).ConfigureAwait(false);
        }

        var target = new RepositoryTarget(found, principal);
        context.Features.Set(target); // for the log line of a storage failure (StorageTroubleFilter)
        return (target, null);
    }
}

/// <summary>A resolved request: the task and the credential reaching it.</summary>
public sealed record RepositoryTarget(BackupTask Task, RepositoryPrincipal Principal);

/// <summary>Plain-text answers: restic shows the status line, other clients the body.</summary>
internal static class RepositoryResults
{
    public static IResult Text(int status, string message) => TypedResults.Text(message + "\n", "text/plain; charset=utf-8", statusCode: status);

    public static IResult Ok() => TypedResults.Ok();

    /// <summary>
    /// A refusal whose message is also the HTTP reason phrase: restic 0.14 prints the status line of a failed
    /// upload ("server response unexpected: 507 Spending cap reached: ..."), not the body.
    /// </summary>
    public static IResult Refusal(HttpContext context, int status, string message)
    {
        var feature = context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpResponseFeature>();
        if (feature is not null)
        {
            feature.ReasonPhrase = message;
        }

        return Text(status, message);
    }

    public static IResult BadName() => Text(StatusCodes.Status400BadRequest, "invalid object type or name");
}
