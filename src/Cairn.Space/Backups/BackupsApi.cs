using System.Security.Claims;
using Cairn.Space.Accounts;
using Cairn.Space.Instances;
using Cairn.Space.Usage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cairn.Space.Backups;

/// <summary>Backup tasks: list, details with usage and snapshots, create, delete, and read-only Backup URLs.</summary>
public static class BackupsApi
{
    public static IEndpointRouteBuilder MapBackupsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/backups").WithTags("Backups").RequireAuthorization(SpaceClaims.ApiPolicy);
        api.MapGet("/", ListAsync);
        api.MapPost("/", CreateAsync);
        api.MapGet("/{id:guid}", GetAsync);
        api.MapDelete("/{id:guid}", DeleteAsync);
        api.MapPost("/{id:guid}/backup-url", MintBackupUrlAsync);
        return app;
    }

    private static async Task<Ok<BackupResponse[]>> ListAsync(ClaimsPrincipal user, BackupTaskService tasks, RepositoryUrls urls,
        CancellationToken cancellationToken)
        => TypedResults.Ok((await tasks.ListAsync(user.GetAccountId(), cancellationToken).ConfigureAwait(false))
            .Select(v => BackupResponse.From(v, urls)).ToArray());

    private static async Task<Created<BackupResponse>> CreateAsync(CreateBackupRequest request, ClaimsPrincipal user, InstanceService instances,
        BackupTaskService tasks, RepositoryUrls urls, CancellationToken cancellationToken)
    {
        var instance = await instances.GetAsync(user.GetAccountId(), request.Instance ?? "", cancellationToken).ConfigureAwait(false);
        var task = await tasks.CreateAsync(instance, request.Name, cancellationToken).ConfigureAwait(false);
        return TypedResults.Created($"/api/v1/backups/{task.Id}", BackupResponse.From(new BackupTaskView(task, instance), urls));
    }

    private static async Task<Ok<BackupDetailsResponse>> GetAsync(Guid id, ClaimsPrincipal user, BackupTaskService tasks, RepositoryUrls urls,
        CancellationToken cancellationToken)
    {
        var details = await tasks.GetDetailsAsync(user.GetAccountId(), id, cancellationToken).ConfigureAwait(false);
        var summary = BackupResponse.From(details.View, urls);
        return TypedResults.Ok(new BackupDetailsResponse(
            summary.Id, summary.Name, summary.Instance, summary.CreatedAt, summary.LatestSnapshotAt, summary.StorageBytes, summary.RepositoryUrl,
            [.. details.Usage.Select(u => new UsagePoint(u.At, u.Bytes))],
            [.. details.Snapshots.Select(s => new SnapshotResponse(s.SnapshotId, s.SnapshotId[..8], s.WrittenAt, s.FileCount, s.TotalBytes, s.IsUnreadable))]));
    }

    private static async Task<NoContent> DeleteAsync(Guid id, ClaimsPrincipal user, BackupTaskService tasks, CancellationToken cancellationToken)
    {
        await tasks.DeleteAsync(user.GetAccountId(), id, cancellationToken).ConfigureAwait(false);
        return TypedResults.NoContent();
    }

    /// <summary>A read-only credential for this task only, as a URL from which any snapshot can be restored elsewhere.</summary>
    private static async Task<Created<BackupUrlResponse>> MintBackupUrlAsync(Guid id, ClaimsPrincipal user, BackupTaskService tasks,
        InstanceService instances, RepositoryUrls urls, CancellationToken cancellationToken)
    {
        var view = await tasks.GetAsync(user.GetAccountId(), id, cancellationToken).ConfigureAwait(false);
        var minted = await instances.MintCredentialAsync(view.Instance, CredentialAccess.ReadOnly, view.Task.Id, cancellationToken).ConfigureAwait(false);
        return TypedResults.Created($"/api/v1/instances/{view.Instance.Name}/credentials/{minted.Credential.Username}",
            new BackupUrlResponse(urls.ForTask(view.Instance.Name, view.Task.Name, minted.Credential.Username, minted.Secret),
                minted.Credential.Username));
    }
}

public sealed record CreateBackupRequest(string? Instance, string? Name);

public sealed record BackupResponse(Guid Id, string Name, string Instance, DateTimeOffset CreatedAt, DateTimeOffset? LatestSnapshotAt,
    long StorageBytes, string RepositoryUrl)
{
    public static BackupResponse From(BackupTaskView view, RepositoryUrls urls)
        => new(view.Task.Id, view.Task.Name, view.Instance.Name, view.Task.CreatedAt, view.Task.LatestSnapshotAt,
            Math.Max(0, view.Task.StorageBytes), urls.ForTask(view.Instance.Name, view.Task.Name));
}

public sealed record BackupDetailsResponse(Guid Id, string Name, string Instance, DateTimeOffset CreatedAt, DateTimeOffset? LatestSnapshotAt,
    long StorageBytes, string RepositoryUrl, IReadOnlyList<UsagePoint> Usage, IReadOnlyList<SnapshotResponse> Snapshots);

public sealed record UsagePoint(DateTimeOffset At, long Bytes);

/// <summary>A snapshot; <c>unreadable</c> once the owner's password was found not to open it (never chosen as latest).</summary>
public sealed record SnapshotResponse(string Id, string ShortId, DateTimeOffset Time, long? FileCount, long? TotalBytes, bool Unreadable);

/// <summary>A read-only <c>rest:</c> URL with its secret, shown once.</summary>
public sealed record BackupUrlResponse(string Url, string Username);
