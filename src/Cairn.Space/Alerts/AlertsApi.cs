using System.Security.Claims;
using Cairn.Space.Accounts;
using Cairn.Space.Data;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Space.Alerts;

/// <summary>An account's alerts, for its owner (docs/space-api.md, "Alerts").</summary>
public static class AlertsApi
{
    public static IEndpointRouteBuilder MapAlertsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/alerts").WithTags("Alerts").RequireAuthorization(SpaceClaims.ApiPolicy);
        api.MapGet("", ListAsync);
        api.MapGet("/channels", ChannelsAsync);
        api.MapPost("/channels", AddChannelAsync);
        api.MapDelete("/channels/{id:guid}", RemoveChannelAsync);
        api.MapPost("/channels/{id:guid}/test", TestChannelAsync);
        api.MapGet("/settings", SettingsAsync);
        api.MapPut("/settings", SetSettingsAsync);
        api.MapPut("/plans/{planId:guid}/grace", SetPlanGraceAsync);
        return app;
    }

    private static async Task<Ok<AlertsResponse>> ListAsync(ClaimsPrincipal user, AlertService alerts, CancellationToken cancellationToken)
    {
        var account = user.GetAccountId();
        var incidents = await alerts.IncidentsAsync(account, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(new AlertsResponse(incidents.Count(i => i.ResolvedAt is null), incidents));
    }

    private static async Task<Ok<ChannelResponse[]>> ChannelsAsync(ClaimsPrincipal user, AlertService alerts, CancellationToken cancellationToken)
        => TypedResults.Ok((await alerts.ChannelsAsync(user.GetAccountId(), cancellationToken).ConfigureAwait(false)).Select(ChannelResponse.From).ToArray());

    private static async Task<Created<ChannelResponse>> AddChannelAsync(ChannelRequest? request, ClaimsPrincipal user, AlertService alerts,
        CancellationToken cancellationToken)
    {
        var channel = await alerts.AddChannelAsync(user.GetAccountId(), request, cancellationToken).ConfigureAwait(false);
        return TypedResults.Created($"/api/v1/alerts/channels/{channel.Id}", ChannelResponse.From(channel));
    }

    private static async Task<NoContent> RemoveChannelAsync(Guid id, ClaimsPrincipal user, AlertService alerts, CancellationToken cancellationToken)
    {
        await alerts.RemoveChannelAsync(user.GetAccountId(), id, cancellationToken).ConfigureAwait(false);
        return TypedResults.NoContent();
    }

    private static async Task<Ok<ChannelTestResponse>> TestChannelAsync(Guid id, ClaimsPrincipal user, AlertService alerts, SpaceDbContext db,
        CancellationToken cancellationToken)
    {
        var account = user.GetAccountId();
        var email = await db.Accounts.Where(a => a.Id == account).Select(a => a.Email).SingleAsync(cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(await alerts.TestChannelAsync(account, email, id, cancellationToken).ConfigureAwait(false));
    }

    private static async Task<Ok<AlertSettingsResponse>> SettingsAsync(ClaimsPrincipal user, AlertService alerts, CancellationToken cancellationToken)
        => TypedResults.Ok(await alerts.SettingsAsync(user.GetAccountId(), cancellationToken).ConfigureAwait(false));

    private static async Task<Ok<AlertSettingsResponse>> SetSettingsAsync(AlertSettingsRequest? request, ClaimsPrincipal user, AlertService alerts,
        CancellationToken cancellationToken)
        => TypedResults.Ok(await alerts.SetSettingsAsync(user.GetAccountId(), request, cancellationToken).ConfigureAwait(false));

    private static async Task<NoContent> SetPlanGraceAsync(Guid planId, PlanGraceRequest? request, ClaimsPrincipal user, AlertService alerts,
        CancellationToken cancellationToken)
    {
        await alerts.SetPlanGraceAsync(user.GetAccountId(), planId, request, cancellationToken).ConfigureAwait(false);
        return TypedResults.NoContent();
    }
}
