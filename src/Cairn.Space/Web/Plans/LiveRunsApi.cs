using System.Security.Claims;
using Cairn.Space.Accounts;
using Cairn.Space.Instances;
using Cairn.Space.Plans;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cairn.Space.Web.Plans;

/// <summary>
/// The runs of an instance's plans as console-runs.js reads them every few seconds: the signed-in owner's cookie
/// (the API's bearer tokens stay out of the browser), read-only, the figures already in words (<see cref="RunView"/>).
/// Another account's instance is a 404, as a missing one.
/// </summary>
public static class LiveRunsApi
{
    public const string Prefix = "/console-live";

    /// <summary>As many runs as the run history page shows.</summary>
    public const int PlanRunsLimit = 100;

    public static IEndpointRouteBuilder MapLiveRunsApi(this IEndpointRouteBuilder app)
    {
        var live = app.MapGroup(Prefix + "/instances/{instance}")
            .RequireAuthorization(ConsoleAuthentication.Policy)
            .AddEndpointFilter(async (context, next) =>
            {
                // The owner's figures: no shared cache keeps them, and each poll must see the newest.
                context.HttpContext.Response.Headers.CacheControl = "private, no-store";
                return await next(context).ConfigureAwait(false);
            })
            .ExcludeFromDescription();
        live.MapGet("/plans", LatestAsync);
        live.MapGet("/plans/{planId:guid}/runs", RunsAsync);
        return app;
    }

    /// <summary>The address the run history page of a plan polls.</summary>
    public static string RunsPath(string instance, Guid planId) => $"{Prefix}/instances/{Uri.EscapeDataString(instance)}/plans/{planId}/runs";

    /// <summary>The address the Plans page polls.</summary>
    public static string PlansPath(string instance) => $"{Prefix}/instances/{Uri.EscapeDataString(instance)}/plans";

    private static async Task<Ok<RunView[]>> RunsAsync(string instance, Guid planId, ClaimsPrincipal user, InstanceService instances,
        PlanService plans, RunService runs, TimeProvider clock, CancellationToken cancellationToken)
    {
        var owned = await instances.GetAsync(user.GetAccountId(), instance, cancellationToken).ConfigureAwait(false);
        var plan = await plans.GetAsync(owned, planId, cancellationToken).ConfigureAwait(false);
        var now = clock.GetUtcNow();
        return TypedResults.Ok((await runs.ListAsync(plan, PlanRunsLimit, cancellationToken).ConfigureAwait(false))
            .Select(r => RunView.From(r, now)).ToArray());
    }

    private static async Task<Ok<PlanLatestRun[]>> LatestAsync(string instance, ClaimsPrincipal user, InstanceService instances,
        PlanService plans, RunService runs, TimeProvider clock, CancellationToken cancellationToken)
    {
        var owned = await instances.GetAsync(user.GetAccountId(), instance, cancellationToken).ConfigureAwait(false);
        var now = clock.GetUtcNow();
        var latest = new List<PlanLatestRun>();
        foreach (var plan in await plans.ListAsync(owned, cancellationToken).ConfigureAwait(false))
        {
            var last = (await runs.ListAsync(plan, 1, cancellationToken).ConfigureAwait(false)).FirstOrDefault();
            latest.Add(new PlanLatestRun(plan.Id, last is null ? null : RunView.From(last, now)));
        }

        return TypedResults.Ok(latest.ToArray());
    }
}

/// <summary>A plan and its newest run (none yet: null), for the Plans page's live column.</summary>
public sealed record PlanLatestRun(Guid PlanId, RunView? Run);
