using Cairn.Space.Auth;
using Cairn.Space.Metering;
using Cairn.Space.Services;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cairn.Space.Apis;

/// <summary>Operator-only actions.</summary>
public static class AdminApi
{
    public static IEndpointRouteBuilder MapAdminApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/admin").WithTags("Admin").RequireAuthorization(SpaceClaims.OperatorPolicy);
        api.MapPut("/accounts/{email}/unpaid-balance", SetUnpaidBalanceAsync);
        api.MapPost("/reconcile", ReconcileAsync);
        return app;
    }

    private static async Task<Ok<AccountResponse>> SetUnpaidBalanceAsync(string email, UnpaidBalanceRequest request, AccountService accounts,
        PriceSheet prices, CancellationToken cancellationToken)
        => TypedResults.Ok(AccountResponse.From(
            await accounts.SetUnpaidBalanceAsync(email, request.Amount, cancellationToken).ConfigureAwait(false), prices));

    /// <summary>Runs the reconciling scan now instead of waiting for its schedule.</summary>
    private static async Task<Ok<ReconcileResponse>> ReconcileAsync(UsageJobs jobs, CancellationToken cancellationToken)
        => TypedResults.Ok(new ReconcileResponse(await jobs.ReconcileAsync(cancellationToken).ConfigureAwait(false)));
}

public sealed record UnpaidBalanceRequest(decimal Amount);

public sealed record ReconcileResponse(int TasksCorrected);
