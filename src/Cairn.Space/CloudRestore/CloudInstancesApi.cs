using System.Security.Claims;
using Cairn.Space.Accounts;
using Cairn.Space.Instances;
using Cairn.Space.Usage;
using Microsoft.AspNetCore.Http.HttpResults;


namespace Cairn.Space.CloudRestore;

/// <summary>Restored cloud instances by name: list, show (with the local driver's disk folder), return.</summary>
public static class CloudInstancesApi
{
    public static IEndpointRouteBuilder MapCloudInstancesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/cloud-instances").WithTags("Cloud instances").RequireAuthorization(SpaceClaims.ApiPolicy);
        api.MapGet("/", ListAsync);
        api.MapGet("/{name}", GetAsync);
        api.MapPost("/{name}/return", ReturnAsync);
        return app;
    }

    private static async Task<Ok<CloudInstanceResponse[]>> ListAsync(ClaimsPrincipal user, RestoreOrders orders, CancellationToken cancellationToken)
        => TypedResults.Ok((await orders.ListAsync(user.GetAccountId(), cancellationToken).ConfigureAwait(false))
            .Select(CloudInstanceResponse.From).ToArray());

    private static async Task<Ok<CloudInstanceResponse>> GetAsync(string name, ClaimsPrincipal user, RestoreOrders orders,
        CancellationToken cancellationToken)
        => TypedResults.Ok(CloudInstanceResponse.From(await orders.GetByNameAsync(user.GetAccountId(), name, cancellationToken).ConfigureAwait(false)));

    private static async Task<Accepted<ReturnResponse>> ReturnAsync(string name, ClaimsPrincipal user, RestoreOrders orders,
        CancellationToken cancellationToken)
    {
        var (instance, refund) = await orders.ReturnAsync(user.GetAccountId(), name, cancellationToken).ConfigureAwait(false);
        return TypedResults.Accepted($"/api/v1/cloud-instances/{name}", new ReturnResponse(CloudInstanceResponse.From(instance), refund, instance.Currency));
    }
}

public sealed record CloudInstanceResponse(
    string Name,
    Guid OrderId,
    string State,
    string? Reason,
    string Provider,
    string Region,
    string Hardware,
    Guid BackupId,
    string SnapshotId,
    string? Disk,
    DateTimeOffset CreatedAt,
    DateTimeOffset? PaidAt,
    DateTimeOffset? PeriodEnd,
    DateTimeOffset? RunningAt,
    DateTimeOffset? ReturnedAt,
    DateTimeOffset? ReleasedAt)
{
    public static CloudInstanceResponse From(CloudInstance c)
    {
        ArgumentNullException.ThrowIfNull(c);
        return new CloudInstanceResponse(c.Name, c.Id, c.State.ToApiName(), c.Reason, c.Provider, c.Region, c.Hardware, c.TaskId, c.SnapshotId,
            c.Disk, c.CreatedAt, c.PaidAt, c.PeriodEnd, c.RunningAt, c.ReturnedAt, c.ReleasedAt);
    }
}

/// <summary>A returned instance (Destroying, then Destroyed) and what was refunded for the unused part of its period.</summary>
public sealed record ReturnResponse(CloudInstanceResponse Instance, decimal Refund, string Currency);
