using System.Security.Claims;
using Cairn.Space.Accounts;
using Cairn.Space.Instances;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cairn.Space.Agents;

/// <summary>An instance's enrollment codes and agents, for the instance's owner (docs/agent-protocol.md, "Enrollment").</summary>
public static class AgentsApi
{
    public static IEndpointRouteBuilder MapAgentsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/instances/{instance}").WithTags("Agents").RequireAuthorization(SpaceClaims.ApiPolicy);
        api.MapPost("/agent-codes", MintCodeAsync);
        api.MapGet("/agents", ListAsync);
        api.MapDelete("/agents/{agentId:guid}", RevokeAsync);
        return app;
    }

    private static async Task<Created<EnrollmentCodeResponse>> MintCodeAsync(string instance, ClaimsPrincipal user, InstanceService instances,
        AgentService agents, CancellationToken cancellationToken)
    {
        var owned = await instances.GetAsync(user.GetAccountId(), instance, cancellationToken).ConfigureAwait(false);
        var (code, expiresAt) = await agents.MintCodeAsync(owned, cancellationToken).ConfigureAwait(false);
        return TypedResults.Created($"/api/v1/instances/{owned.Name}/agents", new EnrollmentCodeResponse(code, expiresAt));
    }

    private static async Task<Ok<AgentResponse[]>> ListAsync(string instance, ClaimsPrincipal user, InstanceService instances, AgentService agents,
        CancellationToken cancellationToken)
    {
        var owned = await instances.GetAsync(user.GetAccountId(), instance, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok((await agents.ListAsync(owned, cancellationToken).ConfigureAwait(false))
            .Select(a => new AgentResponse(a.Id, a.Hostname, a.Version, a.CreatedAt, a.LastSeenAt, a.RevokedAt)).ToArray());
    }

    private static async Task<NoContent> RevokeAsync(string instance, Guid agentId, ClaimsPrincipal user, InstanceService instances,
        AgentService agents, CancellationToken cancellationToken)
    {
        var owned = await instances.GetAsync(user.GetAccountId(), instance, cancellationToken).ConfigureAwait(false);
        await agents.RevokeAsync(owned, agentId, cancellationToken).ConfigureAwait(false);
        return TypedResults.NoContent();
    }
}

public sealed record EnrollmentCodeResponse(string Code, DateTimeOffset ExpiresAt);

public sealed record AgentResponse(Guid Id, string Hostname, string AgentVersion, DateTimeOffset CreatedAt, DateTimeOffset LastSeenAt,
    DateTimeOffset? RevokedAt);
