using System.Security.Claims;
using Cairn.Space.Auth;
using Cairn.Space.Domain;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace Cairn.Space.Web;

/// <summary>
/// The console's own sign-in: a cookie scheme beside the API's bearer tokens. The cookie authorizes console pages
/// only; the API's policies name the bearer scheme, so a browser's cookie never reaches the JSON API.
/// </summary>
public static class ConsoleAuthentication
{
    public const string Scheme = "Console";
    public const string Policy = "console";
    public const string SignInPath = "/signin";
    public const string SignOutPath = "/signout";

    public static ClaimsPrincipal PrincipalFor(Account account)
    {
        ArgumentNullException.ThrowIfNull(account);
        List<Claim> claims = [new(SpaceClaims.AccountId, account.Id.ToString()), new(ClaimTypes.Name, account.Email)];
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
        options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
    }

    /// <summary>Sign-out is a form POST with an antiforgery token, so no other site can sign someone out.</summary>
    internal static async Task<IResult> SignOutAsync(HttpContext context, IAntiforgery antiforgery)
    {
        if (!await antiforgery.IsRequestValidAsync(context).ConfigureAwait(false))
        {
            return TypedResults.BadRequest("The sign-out form expired; reload the page and try again.");
        }

        await context.SignOutAsync(Scheme).ConfigureAwait(false);
        return TypedResults.LocalRedirect(SignInPath + "?signedOut=true");
    }
}
