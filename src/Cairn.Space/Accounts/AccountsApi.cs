using System.Security.Claims;
using Cairn.Space.Accounts.SignIn;
using Cairn.Space.Backups;
using Cairn.Space.CloudRestore;
using Cairn.Space.Hosting;
using Cairn.Space.Usage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cairn.Space.Accounts;

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
        api.MapPut("/account/password", ChangePasswordAsync).RequireAuthorization(SpaceClaims.ApiPolicy);
        app.MapTwoFactorApi();
        return app;
    }

    private static async Task<Created<AccountResponse>> SignUpAsync(CredentialsRequest request, HttpContext context, AccountService accounts,
        PriceSheet prices, AccountLimits limits, CancellationToken cancellationToken)
    {
        var account = await accounts.SignUpAsync(request.Email, request.Password, ClientAddress.Of(context), cancellationToken).ConfigureAwait(false);
        return TypedResults.Created("/api/v1/account", AccountResponse.From(account, prices, limits));
    }

    /// <summary>
    /// Email and password, and <c>code</c> (a current TOTP code or a recovery code) when the account has two-factor
    /// sign-in: without it the answer is 401 with <c>twoFactorRequired: true</c>. 429 with <c>Retry-After</c> when throttled or locked.
    /// </summary>
    private static async Task<Results<Ok<TokenResponse>, ProblemHttpResult>> IssueTokenAsync(TokenRequest request, HttpContext context,
        SignInService signIn, AccountService accounts, CancellationToken cancellationToken)
    {
        var result = await signIn.SignInAsync(request.Email, request.Password, request.Code, ClientAddress.Of(context), cancellationToken)
            .ConfigureAwait(false);
        switch (result.Status)
        {
            case SignInStatus.SignedIn:
                var (token, expiresAt) = await accounts.IssueTokenAsync(result.Account!, cancellationToken).ConfigureAwait(false);
                return TypedResults.Ok(new TokenResponse(token, expiresAt));
            case SignInStatus.CodeRequired:
                return TypedResults.Problem("a two-factor code is required: send the current code of the authenticator (or a recovery code) as code",
                    statusCode: StatusCodes.Status401Unauthorized, extensions: new Dictionary<string, object?> { ["twoFactorRequired"] = true });
            case SignInStatus.WrongCode:
                return TypedResults.Problem("wrong or already used two-factor code", statusCode: StatusCodes.Status401Unauthorized,
                    extensions: new Dictionary<string, object?> { ["twoFactorRequired"] = true });
            default:
                return TypedResults.Problem("wrong email or password", statusCode: StatusCodes.Status401Unauthorized);
        }
    }

    private static async Task<NoContent> RevokeTokenAsync(HttpContext context, AccountService accounts, CancellationToken cancellationToken)
    {
        var header = context.Request.Headers.Authorization.ToString();
        await accounts.RevokeTokenAsync(header["Bearer ".Length..].Trim(), cancellationToken).ConfigureAwait(false);
        return TypedResults.NoContent();
    }

    /// <summary>Ends every console session and revokes every other API token of the account.</summary>
    private static async Task<NoContent> ChangePasswordAsync(ChangePasswordRequest request, ClaimsPrincipal user, HttpContext context,
        AccountService accounts, CancellationToken cancellationToken)
    {
        var header = context.Request.Headers.Authorization.ToString();
        await accounts.ChangePasswordAsync(user.GetAccountId(), request.CurrentPassword, request.NewPassword,
            Secrets.Hash(header["Bearer ".Length..].Trim()), cancellationToken).ConfigureAwait(false);
        return TypedResults.NoContent();
    }

    private static async Task<Ok<AccountResponse>> GetAccountAsync(ClaimsPrincipal user, AccountService accounts, PriceSheet prices,
        AccountLimits limits, CancellationToken cancellationToken)
        => TypedResults.Ok(AccountResponse.From(await accounts.GetAsync(user.GetAccountId(), cancellationToken).ConfigureAwait(false), prices, limits));

    private static async Task<Ok<AccountResponse>> SetSpendingCapAsync(SpendingCapRequest request, ClaimsPrincipal user,
        AccountService accounts, PriceSheet prices, AccountLimits limits, CancellationToken cancellationToken)
    {
        var account = await accounts.SetSpendingCapAsync(user.GetAccountId(), request.Amount, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(AccountResponse.From(account, prices, limits));
    }
}

public sealed record CredentialsRequest(string? Email, string? Password);

/// <summary><see cref="Code"/>: a current TOTP code or a recovery code, for accounts with two-factor sign-in.</summary>
public sealed record TokenRequest(string? Email, string? Password, string? Code = null);

public sealed record ChangePasswordRequest(string? CurrentPassword, string? NewPassword);

public sealed record TokenResponse(string Token, DateTimeOffset ExpiresAt);

/// <summary>A monthly spending cap in the account's currency; null removes it.</summary>
public sealed record SpendingCapRequest(decimal? Amount);

/// <summary><see cref="InstanceLimit"/>: the most instances the account may hold; <see cref="LockedUntil"/>: set while sign-in is locked.</summary>
public sealed record AccountResponse(Guid Id, string Email, bool IsOperator, DateTimeOffset CreatedAt, decimal? SpendingCap,
    decimal UnpaidBalance, string Currency, bool TwoFactorEnabled = false, int InstanceLimit = AccountLimits.DefaultInstancesPerAccount,
    int FailedSignIns = 0, DateTimeOffset? LockedUntil = null)
{
    public static AccountResponse From(Account account, PriceSheet prices)
        => From(account, prices, new AccountLimits());

    public static AccountResponse From(Account account, PriceSheet prices, AccountLimits limits)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(prices);
        ArgumentNullException.ThrowIfNull(limits);
        return new(account.Id, account.Email, account.IsOperator, account.CreatedAt, account.SpendingCap, account.UnpaidBalance, prices.Currency,
            account.TwoFactorEnabled, account.InstanceLimit ?? limits.InstancesPerAccount, account.FailedSignIns, account.LockedUntil);
    }
}
