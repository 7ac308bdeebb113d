using Cairn.Space.Accounts;
using Cairn.Space.Backups;
using Cairn.Space.Backups.Protocol;
using Cairn.Space.Backups.Stores;
using Cairn.Space.Usage;
using Cairn.Storage;

namespace Cairn.Space.Web.Browse;

/// <summary>
/// A task's repository, read-only, for the signed-in owner's browser (the console's cookie; no instance credential):
/// GET and HEAD of the config, key, snapshot, index and pack files (packs by Range) and listings of the small
/// folders, all still encrypted. Nothing here writes or deletes; another account's task is a 404, as a missing one.
/// The browser decrypts (BrowserRestore/): Space never sees the password or any key.
/// </summary>
public static class BrowseRepositoryApi
{
    public const string Prefix = "/browse-repo";

    private static readonly string[] s_readMethods = [HttpMethods.Get, HttpMethods.Head];

    public static IEndpointRouteBuilder MapBrowseRepositoryApi(this IEndpointRouteBuilder app)
    {
        var repo = app.MapGroup(Prefix + "/{taskId:guid}")
            .RequireAuthorization(ConsoleAuthentication.Policy)
            .AddEndpointFilter<StorageTroubleFilter>() // a store that fails for now: 503 + Retry-After, as on /repo
            .ExcludeFromDescription();
        repo.MapMethods("/config", s_readMethods, (HttpContext context, Guid taskId, [AsParameters] BrowseServices s)
            => SendAsync(context, taskId, ObjectName.Config, s));
        repo.MapMethods("/{type}/", s_readMethods, ListAsync);
        repo.MapMethods("/{type}/{name}", s_readMethods, (HttpContext context, Guid taskId, string type, string name, [AsParameters] BrowseServices s)
            => IsReadable(type, name, out var objectName)
                ? SendAsync(context, taskId, objectName, s)
                : Task.FromResult(RepositoryResults.BadName()));
        return app;
    }

    /// <summary>What a reader needs: keys, snapshots, index and packs. Locks are no business of a browser.</summary>
    private static bool IsReadable(string type, string name, out ObjectName objectName)
        => RepositoryApi.TryName(type, name, out objectName) && objectName.Kind != ObjectKind.Lock;

    private static async Task<IResult> ListAsync(HttpContext context, Guid taskId, string type, [AsParameters] BrowseServices s)
    {
        if (!ObjectKinds.TryParseFolderName(type, out var kind) || kind is not (ObjectKind.Key or ObjectKind.Snapshot or ObjectKind.Index))
        {
            return RepositoryResults.BadName();
        }

        if (await s.OwnedTaskAsync(context, taskId).ConfigureAwait(false) is not { } task)
        {
            return NoSuchTask();
        }

        await using var store = s.Storage.Open(task.InstanceId, task.Id);
        return await ObjectListing.WriteAsync(context, store, kind).ConfigureAwait(false);
    }

    private static async Task<IResult> SendAsync(HttpContext context, Guid taskId, ObjectName name, BrowseServices s)
    {
        if (await s.OwnedTaskAsync(context, taskId).ConfigureAwait(false) is not { } task)
        {
            return NoSuchTask();
        }

        // Encrypted bytes, but still the owner's: no shared cache may keep them.
        context.Response.Headers.CacheControl = "private, no-store";
        await using var store = s.Storage.Open(task.InstanceId, task.Id);
        return await ObjectTransfer.SendAsync(context, store, name, s.Metrics).ConfigureAwait(false);
    }

    private static IResult NoSuchTask() => RepositoryResults.Text(StatusCodes.Status404NotFound, "no such backup task");
}

/// <summary>What the read-only route needs, bundled for <c>[AsParameters]</c>.</summary>
public sealed class BrowseServices(BackupTaskService tasks, IRepositoryStorage storage, SpaceMetrics metrics)
{
    public BackupTaskService Tasks { get; } = tasks;
    public IRepositoryStorage Storage { get; } = storage;
    public SpaceMetrics Metrics { get; } = metrics;

    /// <summary>The signed-in account's own live task with that ID, or null (another account's, deleted, or none).</summary>
    public async Task<BackupTask?> OwnedTaskAsync(HttpContext context, Guid taskId)
    {
        try
        {
            return (await Tasks.GetAsync(context.User.GetAccountId(), taskId, context.RequestAborted).ConfigureAwait(false)).Task;
        }
        catch (NotFoundException)
        {
            return null;
        }
    }
}
