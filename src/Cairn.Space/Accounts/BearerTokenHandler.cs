using System.Security.Claims;
using System.Text.Encodings.Web;
using Cairn.Space.Backups;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Cairn.Space.Accounts;

/// <summary>Signs API requests in by an opaque bearer token from <c>POST /api/v1/auth/token</c>.</summary>
public sealed class BearerTokenHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    AccountService accounts)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    private const string Prefix = "Bearer ";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (header is null || !header.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.NoResult();
        }

        var token = header[Prefix.Length..].Trim();
        var account = token.Length == 0 ? null : await accounts.FindByTokenAsync(token, Context.RequestAborted).ConfigureAwait(false);
        if (account is null)
        {
            return AuthenticateResult.Fail("invalid or expired token");
        }

        List<Claim> claims = [new(SpaceClaims.AccountId, account.Id.ToString()), new(ClaimTypes.Name, account.Email)];
        if (account.IsOperator)
        {
            claims.Add(new Claim(SpaceClaims.Operator, "true"));
        }

        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, Scheme.Name));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, Scheme.Name));
    }
}
