using System.Security.Claims;
using Cairn.Space.Auth;
using Cairn.Space.Domain;
using Cairn.Space.Metering;
using Cairn.Space.Services;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cairn.Space.Apis;

/// <summary>Sign-up, tokens and the signed-in account's settings.</summary>
public static class AccountsApi
{
    public static IEndpointRouteBuilder MapAccountsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1").WithTags("Accounts");
        api.MapPost("/accounts", SignUpAsync).AllowAnonymous();
        api.MapPost("/auth/token", IssueTokenAsync).AllowAnonymous();
        api.MapDelete("/auth/token", RevokeTokenAsync).RequireAuthorization(SpaceClaims.ApiPolicy);
        api.MapGet("/account", GetAccountAsync).RequireAuthorization(SpaceClaims.ApiPolicy);
        api.MapPut("/account/spending-cap", SetSpendingCapAsync).RequireAuthorization(SpaceClaims.ApiPolicy);
        return app;
    }

    private static async Task<Created<AccountResponse>> SignUpAsync(CredentialsRequest request, AccountService accounts,
        PriceSheet prices, CancellationToken cancellationToken)
    {
        var account = await accounts.SignUpAsync(request.Email, request.Password, cancellationToken).ConfigureAwait(false);
        return TypedResults.Created("/api/v1/account", AccountResponse.From(account, prices));
    }

    private static async Task<Results<Ok<TokenResponse>, ProblemHttpResult>> IssueTokenAsync(CredentialsRequest request,
        AccountService accounts, CancellationToken cancellationToken)
    {
        var account = await accounts.SignInAsync(request.Email, request.Password, cancellationToken).ConfigureAwait(false);
        if (account is null)
        {
            return TypedResults.Problem("wrong email or password", statusCode: StatusCodes.Status401Unauthorized);
        }

        var (token, expiresAt) = await accounts.IssueTokenAsync(account, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(new TokenResponse(token, expiresAt));
    }

    private static async Task<NoContent> RevokeTokenAsync(HttpContext context, AccountService accounts, CancellationToken cancellationToken)
    {
        var header = context.Request.Headers.Authorization.ToString();
        await accounts.RevokeTokenAsync(header["Bearer ".Length..].Trim(), cancellationToken).ConfigureAwait(false);
        return TypedResults.NoContent();
    }

    private static async Task<Ok<AccountResponse>> GetAccountAsync(ClaimsPrincipal user, AccountService accounts, PriceSheet prices,
        CancellationToken cancellationToken)
        => TypedResults.Ok(AccountResponse.From(await accounts.GetAsync(user.GetAccountId(), cancellationToken).ConfigureAwait(false), prices));

    private static async Task<Ok<AccountResponse>> SetSpendingCapAsync(SpendingCapRequest request, ClaimsPrincipal user,
        AccountService accounts, PriceSheet prices, CancellationToken cancellationToken)
    {
        var account = await accounts.SetSpendingCapAsync(user.GetAccountId(), request.Amount, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(AccountResponse.From(account, prices));
    }
}

public sealed record CredentialsRequest(string? Email, string? Password);

public sealed record TokenResponse(string Token, DateTimeOffset ExpiresAt);

/// <summary>A monthly spending cap in the account's currency; null removes it.</summary>
public sealed record SpendingCapRequest(decimal? Amount);

public sealed record AccountResponse(Guid Id, string Email, bool IsOperator, DateTimeOffset CreatedAt, decimal? SpendingCap,
    decimal UnpaidBalance, string Currency)
{
    public static AccountResponse From(Account account, PriceSheet prices)
        => new(account.Id, account.Email, account.IsOperator, account.CreatedAt, account.SpendingCap, account.UnpaidBalance, prices.Currency);
}
