using Cairn.Space.Accounts;
using Cairn.Space.Accounts.SignIn;
using Cairn.Space.CloudRestore;
using Cairn.Space.Usage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cairn.Space.Admin;

/// <summary>The operator's view across the Space (accounts with balances, instances and usage, cloud instances, what needs attention) and the account lock.</summary>
public static class AdminOverviewApi
{
    public static IEndpointRouteBuilder MapAdminOverviewApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/admin").WithTags("Admin").RequireAuthorization(SpaceClaims.OperatorPolicy);
        api.MapGet("/accounts", ListAccountsAsync);
        api.MapPost("/accounts/{email}/lock", LockAsync);
        api.MapGet("/instances", ListInstancesAsync);
        api.MapGet("/cloud-instances", ListCloudInstancesAsync);
        api.MapGet("/activity", GetActivityAsync);
        return app;
    }

    /// <summary>Accounts by email; <c>email</c> filters to those containing it, <c>take</c> (default 100, at most 500) bounds the list.</summary>
    private static async Task<Ok<AdminAccountResponse[]>> ListAccountsAsync(string? email, int? take, AccountService accounts, SpaceOverview overview,
        PriceSheet prices, AccountLimits limits, CancellationToken cancellationToken)
    {
        var found = await accounts.SearchAsync(email, take ?? SpaceOverview.DefaultTake, cancellationToken).ConfigureAwait(false);
        var summaries = await overview.AccountsAsync(found, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(summaries.Select(s => AdminAccountResponse.From(s, prices, limits)).ToArray());
    }

    /// <summary>Locks sign-in until unlocked (<c>POST …/unlock</c>): console sessions end, API tokens are revoked; backups go on.</summary>
    private static async Task<Ok<AccountResponse>> LockAsync(string email, AccountService accounts, PriceSheet prices, AccountLimits limits,
        CancellationToken cancellationToken)
        => TypedResults.Ok(AccountResponse.From(await accounts.LockAsync(email, cancellationToken).ConfigureAwait(false), prices, limits));

    private static async Task<Ok<InstanceStorage[]>> ListInstancesAsync(SpaceOverview overview, CancellationToken cancellationToken)
        => TypedResults.Ok((await overview.InstancesAsync(cancellationToken).ConfigureAwait(false)).ToArray());

    private static async Task<Ok<AdminCloudInstanceResponse[]>> ListCloudInstancesAsync(SpaceOverview overview, CancellationToken cancellationToken)
        => TypedResults.Ok((await overview.CloudInstancesAsync(SpaceOverview.DefaultTake, cancellationToken).ConfigureAwait(false))
            .Select(AdminCloudInstanceResponse.From).ToArray());

    private static async Task<Ok<ActivityResponse>> GetActivityAsync(SpaceOverview overview, CancellationToken cancellationToken)
    {
        var activity = await overview.ActivityAsync(SpaceOverview.DefaultTake, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(new ActivityResponse(
            [.. activity.RecentCloudJobs.Select(AdminCloudInstanceResponse.From)],
            [.. activity.NeedAttention.Select(AdminCloudInstanceResponse.From)],
            [.. activity.LockedAccounts.Select(a => new FlaggedAccountResponse(a.Email, a.LockedUntil, a.IsLockedByOperator, a.UnpaidBalance))],
            [.. activity.UnpaidAccounts.Select(a => new FlaggedAccountResponse(a.Email, a.LockedUntil, a.IsLockedByOperator, a.UnpaidBalance))]));
    }
}

/// <summary>An account as the operator sees it: the account's fields, its ledger balance and how many instances it holds.</summary>
public sealed record AdminAccountResponse(AccountResponse Account, decimal Balance, int Instances, int CloudInstances, bool LockedByOperator)
{
    public static AdminAccountResponse From(AccountSummary summary, PriceSheet prices, AccountLimits limits)
    {
        ArgumentNullException.ThrowIfNull(summary);
        return new AdminAccountResponse(AccountResponse.From(summary.Account, prices, limits), summary.Balance, summary.Instances,
            summary.CloudInstances, summary.Account.IsLockedByOperator);
    }
}

public sealed record AdminCloudInstanceResponse(CloudInstanceResponse Instance, string OwnerEmail, decimal Total, string Currency)
{
    public static AdminCloudInstanceResponse From(OwnedCloudInstance owned)
    {
        ArgumentNullException.ThrowIfNull(owned);
        return new AdminCloudInstanceResponse(CloudInstanceResponse.From(owned.Instance), owned.OwnerEmail, owned.Instance.Total, owned.Instance.Currency);
    }
}

public sealed record FlaggedAccountResponse(string Email, DateTimeOffset? LockedUntil, bool LockedByOperator, decimal UnpaidBalance);

/// <summary>
/// The latest cloud jobs (restore orders) across the Space, those that failed or wait for their owner (with the
/// recorded reason), accounts whose sign-in is locked and accounts with an unpaid balance.
/// </summary>
public sealed record ActivityResponse(
    IReadOnlyList<AdminCloudInstanceResponse> RecentCloudJobs,
    IReadOnlyList<AdminCloudInstanceResponse> NeedAttention,
    IReadOnlyList<FlaggedAccountResponse> LockedAccounts,
    IReadOnlyList<FlaggedAccountResponse> UnpaidAccounts);
