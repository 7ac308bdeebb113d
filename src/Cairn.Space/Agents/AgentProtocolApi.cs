using System.Security.Claims;
using Cairn.Space.Accounts;
using Cairn.Space.Accounts.SignIn;
using Cairn.Space.Hosting;
using Cairn.Space.Plans;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cairn.Space.Agents;

/// <summary>
/// What <c>cairn agent</c> calls (docs/agent-protocol.md): enrollment with a one-time code, then, with its own
/// bearer token, the long poll for plans and commands, command acknowledgements and run reports.
/// </summary>
public static class AgentProtocolApi
{
    public static IEndpointRouteBuilder MapAgentProtocolApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/v1/agent/enroll", EnrollAsync).WithTags("Agent").AllowAnonymous();
        var api = app.MapGroup("/api/v1/agent").WithTags("Agent").RequireAuthorization(SpaceClaims.AgentPolicy);
        api.MapGet("/sync", SyncAsync);
        api.MapPost("/commands/{id:guid}/ack", AcknowledgeAsync);
        api.MapPut("/runs/{runId:guid}", ReportRunAsync);
        return app;
    }

    private static async Task<Results<Ok<EnrollResponse>, BadRequest<AgentError>>> EnrollAsync(EnrollRequest? request, HttpContext context,
        SignInThrottle throttle, AgentService agents, CancellationToken cancellationToken)
    {
        // Codes are short enough to guess at given time: attempts per client address are limited (429 past it). An
        // enrollment names no account, so the client's address keys both of the throttle's partitions.
        var client = ClientAddress.Of(context);
        throttle.Acquire(SignInThrottle.Enroll, client, client);
        try
        {
            var enrolled = await agents.EnrollAsync(request?.Code, request?.Hostname, request?.AgentVersion, cancellationToken).ConfigureAwait(false);
            return TypedResults.Ok(new EnrollResponse(enrolled.Agent.Id, enrolled.Token, enrolled.InstanceName));
        }
        catch (DomainRuleException e)
        {
            return TypedResults.BadRequest(new AgentError(e.Message));
        }
    }

    private static async Task<Ok<SyncResponse>> SyncAsync(long? revision, int? wait, ClaimsPrincipal user, AgentSync sync,
        CancellationToken cancellationToken)
    {
        var (agentId, instanceId) = user.GetAgent();
        return TypedResults.Ok(await sync.WaitAsync(agentId, instanceId, revision, wait, cancellationToken).ConfigureAwait(false));
    }

    private static async Task<NoContent> AcknowledgeAsync(Guid id, ClaimsPrincipal user, AgentSync sync, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var (agentId, instanceId) = user.GetAgent();
        await sync.AcknowledgeAsync(agentId, instanceId, id, clock.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        return TypedResults.NoContent();
    }

    private static async Task<Ok<RunResponse>> ReportRunAsync(Guid runId, RunReportRequest? request, ClaimsPrincipal user, RunService runs,
        CancellationToken cancellationToken)
    {
        var (agentId, instanceId) = user.GetAgent();
        return TypedResults.Ok(RunResponse.From(await runs.ReportAsync(instanceId, agentId, runId, request, cancellationToken).ConfigureAwait(false)));
    }
}

public sealed record EnrollRequest(string? Code, string? Hostname, string? AgentVersion);

public sealed record EnrollResponse(Guid AgentId, string Token, string Instance);

/// <summary>The agent API's plain refusal, <c>{"error":"..."}</c>.</summary>
public sealed record AgentError(string Error);
