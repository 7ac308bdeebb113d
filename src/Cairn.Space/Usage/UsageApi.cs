using System.Security.Claims;
using Cairn.Space.Accounts;
using Microsoft.AspNetCore.Http.HttpResults;


namespace Cairn.Space.Usage;

/// <summary>Usage and charges of this month, and the price sheet behind them.</summary>
public static class UsageApi
{
    public static IEndpointRouteBuilder MapUsageApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1").WithTags("Usage");
        api.MapGet("/usage", GetUsageAsync).RequireAuthorization(SpaceClaims.ApiPolicy);
        api.MapGet("/prices", (PriceSheet prices, SpaceSettings settings) => TypedResults.Ok(
            new PricesResponse(prices.Currency, prices.DefaultRegion, settings.FreeBytesPerInstance, [.. prices.RegionDetails])));
        return app;
    }

    private static async Task<Ok<UsageReport>> GetUsageAsync(ClaimsPrincipal user, AccountService accounts, StorageMetering metering,
        CancellationToken cancellationToken)
    {
        var account = await accounts.GetAsync(user.GetAccountId(), cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(await metering.ReportAsync(account, cancellationToken).ConfigureAwait(false));
    }
}

public sealed record PricesResponse(string Currency, string DefaultRegion, long FreeBytesPerInstance, IReadOnlyList<PriceRegion> Regions);
