using System.Security.Claims;
using Cairn.Space.Accounts.SignIn;
using Cairn.Space.Hosting;
using Cairn.Space.Usage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cairn.Space.Accounts;

/// <summary>The signed-in account's two-factor sign-in: enrol, confirm with a first code, turn off with a code.</summary>
public static class TwoFactorApi
{
    public static IEndpointRouteBuilder MapTwoFactorApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/account/two-factor").WithTags("Accounts").RequireAuthorization(SpaceClaims.ApiPolicy);
        api.MapGet("/", GetAsync);
        api.MapPost("/", BeginAsync);
        api.MapPost("/confirm", ConfirmAsync);
        api.MapPost("/disable", DisableAsync);
        return app;
    }

    private static async Task<Ok<TwoFactorStatusResponse>> GetAsync(ClaimsPrincipal user, AccountService accounts, TwoFactorService twoFactor,
        CancellationToken cancellationToken)
    {
        var account = await accounts.GetAsync(user.GetAccountId(), cancellationToken).ConfigureAwait(false);
        var remaining = await twoFactor.RemainingRecoveryCodesAsync(account.Id, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(new TwoFactorStatusResponse(account.TwoFactorEnabled, account.TwoFactorEnabled ? remaining : 0));
    }

    /// <summary>A new secret (base32 and <c>otpauth://</c>), not yet in force: confirm it with a first code.</summary>
    private static async Task<Ok<TotpEnrolment>> BeginAsync(ClaimsPrincipal user, TwoFactorService twoFactor, CancellationToken cancellationToken)
        => TypedResults.Ok(await twoFactor.BeginAsync(user.GetAccountId(), cancellationToken).ConfigureAwait(false));

    /// <summary>Turns two-factor sign-in on and returns the ten recovery codes, the only time they are shown. Other API tokens are revoked.</summary>
    private static async Task<Ok<RecoveryCodesResponse>> ConfirmAsync(TwoFactorCodeRequest request, ClaimsPrincipal user, HttpContext context,
        TwoFactorService twoFactor, CancellationToken cancellationToken)
    {
        var codes = await twoFactor.ConfirmAsync(user.GetAccountId(), request.Code, CallingTokenHash(context), cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(new RecoveryCodesResponse(codes));
    }

    /// <summary>Turns two-factor sign-in off; takes a current code or a recovery code. Other API tokens are revoked.</summary>
    private static async Task<NoContent> DisableAsync(TwoFactorCodeRequest request, ClaimsPrincipal user, HttpContext context,
        TwoFactorService twoFactor, CancellationToken cancellationToken)
    {
        await twoFactor.DisableAsync(user.GetAccountId(), request.Code, CallingTokenHash(context), cancellationToken).ConfigureAwait(false);
        return TypedResults.NoContent();
    }

    private static string? CallingTokenHash(HttpContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? Secrets.Hash(header["Bearer ".Length..].Trim()) : null;
    }
}

public sealed record TwoFactorCodeRequest(string? Code);

public sealed record TwoFactorStatusResponse(bool Enabled, int RecoveryCodesLeft);

public sealed record RecoveryCodesResponse(IReadOnlyList<string> RecoveryCodes);
