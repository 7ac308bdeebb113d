using System.Security.Claims;
using Cairn.Space.Accounts;
using Cairn.Space.Backups;
using Cairn.Space.Data;
using Cairn.Space.Usage;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Space.Web;

/// <summary>
/// The console's own sign-in: a cookie scheme beside the API's bearer tokens. The cookie authorizes console pages
/// only; the API's policies name the bearer scheme, so a browser's cookie never reaches the JSON API. The cookie
/// carries the account's security stamp, checked against the database on every request: sign-out, and changes of
/// how one signs in, rotate the stamp and so end every session, on every replica.
/// </summary>
public static class ConsoleAuthentication
{
    public const string Scheme = "Console";
    public const string Policy = "console";
    public const string SignInPath = "/signin";
    public const string SignOutPath = "/signout";
    public const string StampClaim = "cairn:stamp";

    public static ClaimsPrincipal PrincipalFor(Account account)
    {
        ArgumentNullException.ThrowIfNull(account);
        List<Claim> claims =
        [
            new(SpaceClaims.AccountId, account.Id.ToString()),
            new(ClaimTypes.Name, account.Email),
            new(StampClaim, account.SecurityStamp),
        ];
        return new ClaimsPrincipal(new ClaimsIdentity(claims, Scheme, ClaimTypes.Name, ClaimTypes.Role));
    }

    public static Task SignInAsync(HttpContext context, Account account)
        => context.SignInAsync(Scheme, PrincipalFor(account), new AuthenticationProperties { IsPersistent = true });

    /// <summary>Only paths of this site, so a crafted <c>ReturnUrl</c> cannot send someone elsewhere after signing in.</summary>
    public static string LocalOrHome(string? returnUrl)
        => returnUrl is { Length: > 0 } url && url[0] == '/' && (url.Length == 1 || (url[1] != '/' && url[1] != '\\'))
            ? url
            : "/";

    internal static void Configure(CookieAuthenticationOptions options)
    {
        // The cookie's expiry is read by the browser's real clock, so it is always written by the real clock,
        // whatever TimeProvider the domain runs on (tests move theirs to the past).
        options.TimeProvider = TimeProvider.System;
        options.LoginPath = SignInPath;
        options.LogoutPath = SignOutPath;
        options.AccessDeniedPath = SignInPath;
        options.ExpireTimeSpan = TimeSpan.FromDays(14);
        options.SlidingExpiration = true;
        options.Cookie.Name = "cairn-console";
        options.Cookie.HttpOnly = true;
        options.Cookie.SameSite = SameSiteMode.Lax;
        options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest; // Secure whenever the request was HTTPS (behind a known proxy too)
        options.Events.OnValidatePrincipal = ValidateStampAsync;
    }

    /// <summary>A cookie is good only while its stamp is the account's current one.</summary>
    private static async Task ValidateStampAsync(CookieValidatePrincipalContext context)
    {
        var principal = context.Principal;
        var stamp = principal?.FindFirstValue(StampClaim);
        var current = Guid.TryParse(principal?.FindFirstValue(SpaceClaims.AccountId), out var accountId) && stamp is not null
            ? await context.HttpContext.RequestServices.GetRequiredService<SpaceDbContext>().Accounts.AsNoTracking()
                .Where(a => a.Id == accountId).Select(a => a.SecurityStamp)
                .SingleOrDefaultAsync(context.HttpContext.RequestAborted).ConfigureAwait(false)
            : null;
        if (current is null || !string.Equals(current, stamp, StringComparison.Ordinal))
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(Scheme).ConfigureAwait(false);
        }
    }

    /// <summary>Sign-out is a form POST with an antiforgery token, so no other site can sign someone out.
    /// The stamp is rotated, so this cookie (and any copy of it) is refused from now on, not only deleted here.</summary>
    internal static async Task<IResult> SignOutAsync(HttpContext context, IAntiforgery antiforgery, AccountService accounts)
    {
        if (!await antiforgery.IsRequestValidAsync(context).ConfigureAwait(false))
        {
            return TypedResults.BadRequest("The sign-out form expired; reload the page and try again.");
        }

        await accounts.RotateSecurityStampAsync(context.User.GetAccountId(), context.RequestAborted).ConfigureAwait(false);
        await context.SignOutAsync(Scheme).ConfigureAwait(false);
        return TypedResults.LocalRedirect(SignInPath + "?signedOut=true");
    }
}
