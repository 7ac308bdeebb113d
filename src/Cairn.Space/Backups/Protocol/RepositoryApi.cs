using Cairn.Space.Accounts;
using Cairn.Space.Backups;
using Cairn.Space.Instances;
using Cairn.Space.Usage;
using Cairn.Storage;
using Microsoft.AspNetCore.Mvc;

namespace Cairn.Space.Backups.Protocol;

/// <summary>
/// restic's REST backend protocol (v1 and v2) at <c>/repo/{instance}/{task}/</c>, with HTTP basic auth by
/// instance credentials. Object names are checked before any store is opened; a bad one is a 400. A transient
/// failure of the store is a 503 with <c>Retry-After</c> (<see cref="StorageTroubleFilter"/>).
/// </summary>
public static class RepositoryApi
{
    public const string V1 = "application/vnd.x.restic.rest.v1";
    public const string V2 = "application/vnd.x.restic.rest.v2";

    public static IEndpointRouteBuilder MapRepositoryApi(this IEndpointRouteBuilder app)
    {
        var repo = app.MapGroup("/repo/{instance}/{task}")
            .RequireAuthorization(SpaceClaims.RepositoryPolicy)
            .AddEndpointFilter<StorageTroubleFilter>() // transient store failures: 503 + Retry-After, not 500
            .ExcludeFromDescription();

        repo.MapPost("/", CreateRepositoryAsync);
        repo.MapDelete("/", () => RepositoryResults.Text(StatusCodes.Status403Forbidden,
            "repositories are deleted through Space's API or console, not over REST"));
        repo.MapMethods("/{type}", [HttpMethods.Get, HttpMethods.Head], GetConfigOrListAsync);
        repo.MapPost("/{type}", (HttpContext context, string instance, string task, string type, [AsParameters] RepositoryServices s)
            => type == ObjectName.ConfigName
                ? ObjectUpload.UploadAsync(context, instance, task, ObjectName.Config, s)
                : Task.FromResult(RepositoryResults.BadName()));
        repo.MapDelete("/{type}", (HttpContext context, string instance, string task, string type, [AsParameters] RepositoryServices s)
            => type == ObjectName.ConfigName
                ? ObjectTransfer.DeleteAsync(context, instance, task, ObjectName.Config, s)
                : Task.FromResult(RepositoryResults.BadName()));
        repo.MapMethods("/{type}/{name}", [HttpMethods.Get, HttpMethods.Head],
            (HttpContext context, string instance, string task, string type, string name, [AsParameters] RepositoryServices s)
                => TryName(type, name, out var objectName)
                    ? ObjectTransfer.DownloadAsync(context, instance, task, objectName, s)
                    : Task.FromResult(RepositoryResults.BadName()));
        repo.MapPost("/{type}/{name}",
            (HttpContext context, string instance, string task, string type, string name, [AsParameters] RepositoryServices s)
                => TryName(type, name, out var objectName)
                    ? ObjectUpload.UploadAsync(context, instance, task, objectName, s)
                    : Task.FromResult(RepositoryResults.BadName()));
        repo.MapDelete("/{type}/{name}",
            (HttpContext context, string instance, string task, string type, string name, [AsParameters] RepositoryServices s)
                => TryName(type, name, out var objectName)
                    ? ObjectTransfer.DeleteAsync(context, instance, task, objectName, s)
                    : Task.FromResult(RepositoryResults.BadName()));
        repo.MapPut("/snapshots/{id}/stats", ReportSnapshotAsync);
        return app;
    }

    /// <summary>A known folder and, except for <c>config</c>, 64 lowercase hex characters.</summary>
    internal static bool TryName(string type, string name, out ObjectName objectName)
    {
        objectName = default;
        return ObjectKinds.TryParseFolderName(type, out var kind)
               && kind != ObjectKind.Config
               && ObjectName.TryCreate(kind, name, out objectName);
    }

    private static async Task<IResult> CreateRepositoryAsync(HttpContext context, string instance, string task,
        [FromQuery] string? create, [AsParameters] RepositoryServices s)
    {
        if (!string.Equals(create, "true", StringComparison.Ordinal))
        {
            return RepositoryResults.Text(StatusCodes.Status400BadRequest, "POST to a repository path needs ?create=true");
        }

        var (target, refusal) = await s.ResolveAsync(context, instance, task, create: true).ConfigureAwait(false);
        if (target is null)
        {
            return refusal!;
        }

        await using var store = s.Storage.Open(target.Task.InstanceId, target.Task.Id);
        if (!await store.ExistsAsync(ObjectName.Config, context.RequestAborted).ConfigureAwait(false))
        {
            await store.CreateAsync(context.RequestAborted).ConfigureAwait(false);
        }

        return RepositoryResults.Ok();
    }

    private static async Task<IResult> GetConfigOrListAsync(HttpContext context, string instance, string task, string type,
        [AsParameters] RepositoryServices s)
    {
        if (type == ObjectName.ConfigName)
        {
            return await ObjectTransfer.DownloadAsync(context, instance, task, ObjectName.Config, s).ConfigureAwait(false);
        }

        if (!ObjectKinds.TryParseFolderName(type, out var kind))
        {
            return RepositoryResults.BadName();
        }

        var (target, refusal) = await s.ResolveAsync(context, instance, task, create: false).ConfigureAwait(false);
        if (target is null)
        {
            return refusal!;
        }

        await using var store = s.Storage.Open(target.Task.InstanceId, target.Task.Id);
        return await ObjectListing.WriteAsync(context, store, kind).ConfigureAwait(false);
    }

    private static async Task<IResult> ReportSnapshotAsync(HttpContext context, string instance, string task, string id,
        SnapshotStatsRequest? request, [AsParameters] RepositoryServices s)
    {
        if (!ObjectName.IsValid(ObjectKind.Snapshot, id))
        {
            return RepositoryResults.BadName();
        }

        var (target, refusal) = await s.ResolveAsync(context, instance, task, create: false).ConfigureAwait(false);
        if (target is null)
        {
            return refusal!;
        }

        if (!target.Principal.Access.MayReport())
        {
            return RepositoryResults.Text(StatusCodes.Status403Forbidden, "this credential is read-only");
        }

        var problem = request is null
            ? "a body {fileCount, totalBytes} is needed"
            : SnapshotStatsRule.Problem(request.FileCount, request.TotalBytes, target.Task.StorageBytes);
        if (problem is not null || request is null)
        {
            return RepositoryResults.Text(StatusCodes.Status422UnprocessableEntity, "snapshot stats refused: " + problem);
        }

        if (!await s.Tasks.ReportSnapshotAsync(target.Task.Id, id, request.FileCount, request.TotalBytes, context.RequestAborted).ConfigureAwait(false))
        {
            return RepositoryResults.Text(StatusCodes.Status422UnprocessableEntity, $"snapshot stats refused: no snapshot {id} in this repository");
        }

        return TypedResults.NoContent();
    }
}

/// <summary>What a client may report about a snapshot it wrote.</summary>
public sealed record SnapshotStatsRequest(long FileCount, long TotalBytes);
