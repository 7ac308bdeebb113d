using System.Net.Http.Headers;
using System.Text;

namespace Cairn.Storage;

/// <summary>
/// A <c>rest:</c> location as restic writes it: <c>rest:http://user:secret@host:port/path/</c>. The user and
/// password become HTTP basic authentication; <see cref="Display"/> masks the password.
/// </summary>
internal sealed record RestLocation
{
    public const string Scheme = "rest:";

    private RestLocation(Uri baseUri, string? user, string? password)
    {
        BaseUri = baseUri;
        User = user;
        Password = password;
    }

    /// <summary>The repository's URL without credentials, always ending with a slash.</summary>
    public Uri BaseUri { get; }

    public string? User { get; }

    public string? Password { get; }

    /// <summary>The location with the password masked, safe to print and log.</summary>
    public string Display => Scheme + (User is null
        ? BaseUri.AbsoluteUri
        : $"{BaseUri.Scheme}://{Uri.EscapeDataString(User)}{(Password is null ? "" : ":***")}@{BaseUri.Authority}{BaseUri.PathAndQuery}");

    public static RestLocation Parse(string location)
    {
        ArgumentNullException.ThrowIfNull(location);
        var url = location.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase) ? location[Scheme.Length..] : location;
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException($"'{Mask(location)}' is not a rest: location; expected rest:http://host:port/path/ or rest:https://user:password@host/path/", nameof(location));
        }

        string? user = null, password = null;
        if (uri.UserInfo.Length > 0)
        {
            var colon = uri.UserInfo.IndexOf(':', StringComparison.Ordinal);
            user = Uri.UnescapeDataString(colon < 0 ? uri.UserInfo : uri.UserInfo[..colon]);
            password = colon < 0 ? null : Uri.UnescapeDataString(uri.UserInfo[(colon + 1)..]);
        }

        var builder = new UriBuilder(uri) { UserName = "", Password = "", Query = "", Fragment = "" };
        if (!builder.Path.EndsWith('/'))
        {
            builder.Path += "/";
        }

        return new RestLocation(builder.Uri, user, password);
    }

    /// <summary>The <c>Authorization</c> header for the credentials, or null without any.</summary>
    public AuthenticationHeaderValue? Authorization => User is null
        ? null
        : new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{User}:{Password}")));

    public override string ToString() => Display;

    /// <summary>Masks what follows a colon in the user-info part of a URL that failed to parse, for the error message.</summary>
    private static string Mask(string location)
    {
        var at = location.LastIndexOf('@');
        var slashes = location.IndexOf("//", StringComparison.Ordinal);
        if (at < 0 || slashes < 0 || at < slashes)
        {
            return location;
        }

        var colon = location.IndexOf(':', slashes);
        return colon > 0 && colon < at ? location[..(colon + 1)] + "***" + location[at..] : location;
    }
}
