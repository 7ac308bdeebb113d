using Cairn.Space.Accounts.SignIn;
using Cairn.Space.Usage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cairn.Space.Accounts;

/// <summary>Operator-only actions.</summary>
public static class AdminApi
{
    public static IEndpointRouteBuilder MapAdminApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/admin").WithTags("Admin").RequireAuthorization(SpaceClaims.OperatorPolicy);
        api.MapPut("/accounts/{email}/unpaid-balance", SetUnpaidBalanceAsync);
        api.MapPost("/reconcile", ReconcileAsync);
        api.MapPost("/accounts/{email}/unlock", UnlockAsync);
        api.MapPut("/accounts/{email}/instance-limit", SetInstanceLimitAsync);
        return app;
    }

    private static async Task<Ok<AccountResponse>> SetUnpaidBalanceAsync(string email, UnpaidBalanceRequest request, AccountService accounts,
        PriceSheet prices, CancellationToken cancellationToken)
        => TypedResults.Ok(AccountResponse.From(
            await accounts.SetUnpaidBalanceAsync(email, request.Amount, cancellationToken).ConfigureAwait(false), prices));

    /// <summary>Lifts a lockout after failed sign-ins and forgets the failures.</summary>
    private static async Task<Ok<AccountResponse>> UnlockAsync(string email, AccountService accounts, PriceSheet prices, AccountLimits limits,
        CancellationToken cancellationToken)
        => TypedResults.Ok(AccountResponse.From(await accounts.UnlockAsync(email, cancellationToken).ConfigureAwait(false), prices, limits));

    /// <summary>Raises (or lowers) one account's instance limit; <c>limit: null</c> returns it to <c>Space:Limits:InstancesPerAccount</c>.</summary>
    private static async Task<Ok<AccountResponse>> SetInstanceLimitAsync(string email, InstanceLimitRequest request, AccountService accounts,
        PriceSheet prices, AccountLimits limits, CancellationToken cancellationToken)
        => TypedResults.Ok(AccountResponse.From(
            await accounts.SetInstanceLimitAsync(email, request.Limit, cancellationToken).ConfigureAwait(false), prices, limits));

    /// <summary>Runs the reconciling scan now instead of waiting for its schedule.</summary>
    private static async Task<Ok<ReconcileResponse>> ReconcileAsync(UsageJobs jobs, CancellationToken cancellationToken)
        => TypedResults.Ok(new ReconcileResponse(await jobs.ReconcileAsync(cancellationToken).ConfigureAwait(false)));
}

public sealed record UnpaidBalanceRequest(decimal Amount);

public sealed record InstanceLimitRequest(int? Limit);

public sealed record ReconcileResponse(int TasksCorrected);
