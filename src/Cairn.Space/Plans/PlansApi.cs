using System.Security.Claims;
using Cairn.Space.Accounts;
using Cairn.Space.Instances;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cairn.Space.Plans;

/// <summary>An instance's backup plans and their runs, for the instance's owner (docs/agent-protocol.md, "Plans" and "Runs").</summary>
public static class PlansApi
{
    public static IEndpointRouteBuilder MapPlansApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/instances/{instance}").WithTags("Plans").RequireAuthorization(SpaceClaims.ApiPolicy);
        api.MapGet("/plans", ListAsync);
        api.MapPost("/plans", CreateAsync);
        api.MapGet("/plans/{id:guid}", GetAsync);
        api.MapPut("/plans/{id:guid}", UpdateAsync);
        api.MapDelete("/plans/{id:guid}", DeleteAsync);
        api.MapPost("/plans/{id:guid}/backup-now", BackUpNowAsync);
        api.MapPost("/plans/{id:guid}/pause", (string instance, Guid id, ClaimsPrincipal user, InstanceService instances, PlanService plans,
            CancellationToken ct) => SetPausedAsync(instance, id, true, user, instances, plans, ct));
        api.MapPost("/plans/{id:guid}/resume", (string instance, Guid id, ClaimsPrincipal user, InstanceService instances, PlanService plans,
            CancellationToken ct) => SetPausedAsync(instance, id, false, user, instances, plans, ct));
        api.MapGet("/plans/{id:guid}/runs", ListRunsAsync);
        api.MapGet("/runs/{runId:guid}", GetRunAsync);
        api.MapPost("/plans/{id:guid}/restore", RestoreAsync);
        api.MapPost("/runs/{runId:guid}/cancel", CancelAsync);
        return app;
    }

    private static async Task<Ok<PlanResponse[]>> ListAsync(string instance, ClaimsPrincipal user, InstanceService instances, PlanService plans,
        CancellationToken cancellationToken)
    {
        var owned = await instances.GetAsync(user.GetAccountId(), instance, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok((await plans.ListAsync(owned, cancellationToken).ConfigureAwait(false)).Select(PlanResponse.From).ToArray());
    }

    private static async Task<Created<PlanResponse>> CreateAsync(string instance, PlanRequest? request, ClaimsPrincipal user, InstanceService instances,
        PlanService plans, CancellationToken cancellationToken)
    {
        var owned = await instances.GetAsync(user.GetAccountId(), instance, cancellationToken).ConfigureAwait(false);
        var plan = await plans.CreateAsync(owned, request, cancellationToken).ConfigureAwait(false);
        return TypedResults.Created($"/api/v1/instances/{owned.Name}/plans/{plan.Id}", PlanResponse.From(plan));
    }

    private static async Task<Ok<PlanResponse>> GetAsync(string instance, Guid id, ClaimsPrincipal user, InstanceService instances, PlanService plans,
        CancellationToken cancellationToken)
    {
        var owned = await instances.GetAsync(user.GetAccountId(), instance, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(PlanResponse.From(await plans.GetAsync(owned, id, cancellationToken).ConfigureAwait(false)));
    }

    private static async Task<Ok<PlanResponse>> UpdateAsync(string instance, Guid id, PlanRequest? request, ClaimsPrincipal user,
        InstanceService instances, PlanService plans, CancellationToken cancellationToken)
    {
        var owned = await instances.GetAsync(user.GetAccountId(), instance, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(PlanResponse.From(await plans.UpdateAsync(owned, id, request, cancellationToken).ConfigureAwait(false)));
    }

    private static async Task<NoContent> DeleteAsync(string instance, Guid id, ClaimsPrincipal user, InstanceService instances, PlanService plans,
        CancellationToken cancellationToken)
    {
        var owned = await instances.GetAsync(user.GetAccountId(), instance, cancellationToken).ConfigureAwait(false);
        await plans.DeleteAsync(owned, id, cancellationToken).ConfigureAwait(false);
        return TypedResults.NoContent();
    }

    private static async Task<Accepted<QueuedCommandResponse>> RestoreAsync(string instance, Guid id, RestoreRequest? request, ClaimsPrincipal user,
        InstanceService instances, InstanceCommands commands, CancellationToken cancellationToken)
    {
        var owned = await instances.GetAsync(user.GetAccountId(), instance, cancellationToken).ConfigureAwait(false);
        var command = await commands.RestoreAsync(owned, id, request, cancellationToken).ConfigureAwait(false);
        return TypedResults.Accepted((string?)null, new QueuedCommandResponse(command.Id, command.Kind, command.PlanId, command.CreatedAt));
    }

    private static async Task<Accepted<QueuedCommandResponse>> CancelAsync(string instance, Guid runId, ClaimsPrincipal user,
        InstanceService instances, InstanceCommands commands, CancellationToken cancellationToken)
    {
        var owned = await instances.GetAsync(user.GetAccountId(), instance, cancellationToken).ConfigureAwait(false);
        var command = await commands.CancelAsync(owned, runId, cancellationToken).ConfigureAwait(false);
        return TypedResults.Accepted((string?)null, new QueuedCommandResponse(command.Id, command.Kind, command.PlanId, command.CreatedAt));
    }

    private static async Task<Accepted<QueuedCommandResponse>> BackUpNowAsync(string instance, Guid id, ClaimsPrincipal user,
        InstanceService instances, InstanceCommands commands, CancellationToken cancellationToken)
    {
        var owned = await instances.GetAsync(user.GetAccountId(), instance, cancellationToken).ConfigureAwait(false);
        var command = await commands.BackUpNowAsync(owned, id, cancellationToken).ConfigureAwait(false);
        return TypedResults.Accepted((string?)null, new QueuedCommandResponse(command.Id, command.Kind, command.PlanId, command.CreatedAt));
    }

    private static async Task<Ok<PlanResponse>> SetPausedAsync(string instance, Guid id, bool paused, ClaimsPrincipal user, InstanceService instances,
        PlanService plans, CancellationToken cancellationToken)
    {
        var owned = await instances.GetAsync(user.GetAccountId(), instance, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(PlanResponse.From(await plans.SetPausedAsync(owned, id, paused, cancellationToken).ConfigureAwait(false)));
    }

    private static async Task<Ok<RunResponse[]>> ListRunsAsync(string instance, Guid id, int? limit, ClaimsPrincipal user, InstanceService instances,
        PlanService plans, RunService runs, CancellationToken cancellationToken)
    {
        var owned = await instances.GetAsync(user.GetAccountId(), instance, cancellationToken).ConfigureAwait(false);
        var plan = await plans.GetAsync(owned, id, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok((await runs.ListAsync(plan, limit, cancellationToken).ConfigureAwait(false)).Select(RunResponse.From).ToArray());
    }

    private static async Task<Ok<RunResponse>> GetRunAsync(string instance, Guid runId, ClaimsPrincipal user, InstanceService instances,
        RunService runs, CancellationToken cancellationToken)
    {
        var owned = await instances.GetAsync(user.GetAccountId(), instance, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(RunResponse.From(await runs.GetAsync(owned, runId, cancellationToken).ConfigureAwait(false)));
    }
}

/// <summary>A command queued for the instance's agent.</summary>
public sealed record QueuedCommandResponse(Guid Id, string Kind, Guid? PlanId, DateTimeOffset CreatedAt);
