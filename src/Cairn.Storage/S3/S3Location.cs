namespace Cairn.Storage;

/// <summary>
/// An <c>s3:</c> location as restic writes it: <c>s3:http(s)://host[:port]/bucket[/prefix]</c>, or
/// <c>s3:host/bucket[/prefix]</c> meaning HTTPS. Buckets are addressed by path (<c>host/bucket/key</c>), which every
/// S3-compatible server (Ceph RGW, MinIO, Garage) answers. A location holds no secret: credentials come apart.
/// </summary>
public sealed record S3Location
{
    /// <summary>The location prefix.</summary>
    public const string Scheme = "s3:";

    private S3Location(Uri endpoint, string bucket, string prefix)
    {
        Endpoint = endpoint;
        Bucket = bucket;
        Prefix = prefix;
    }

    /// <summary>The server's base URL (scheme, host and port, no path).</summary>
    public Uri Endpoint { get; }

    /// <summary>The bucket name.</summary>
    public string Bucket { get; }

    /// <summary>The folder of the repository in the bucket, without leading or trailing slash; empty for the bucket's root.</summary>
    public string Prefix { get; }

    /// <summary>The location without credentials, for messages.</summary>
    public string Display => $"{Scheme}{Endpoint.GetLeftPart(UriPartial.Authority)}/{Bucket}{(Prefix.Length == 0 ? "" : "/" + Prefix)}";

    /// <summary>Parses <c>s3:https://host/bucket/prefix</c> (no scheme means HTTPS, as in restic).</summary>
    public static S3Location Parse(string location)
    {
        ArgumentNullException.ThrowIfNull(location);
        var url = location.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase) ? location[Scheme.Length..] : location;
        if (!url.StartsWith("http://", StringComparison.OrdinalIgnoreCase) && !url.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            url = "https://" + url; // restic: a location without a scheme is HTTPS
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.UserInfo.Length > 0 || uri.Query.Length > 0 || uri.Fragment.Length > 0)
        {
            throw Invalid(location, "expected s3:http://host:port/bucket/prefix (credentials go in AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY)");
        }

        // The path as written: Uri would fold "a/../b" into "b" and so move the repository elsewhere unnoticed.
        var authorityEnd = url.IndexOf('/', url.IndexOf("://", StringComparison.Ordinal) + 3);
        var rawPath = authorityEnd < 0 ? "" : url[authorityEnd..];
        var segments = Uri.UnescapeDataString(rawPath).Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Length == 0)
        {
            throw Invalid(location, "it names no bucket; expected s3:http://host:port/bucket/prefix");
        }

        if (!IsValidBucket(segments[0]))
        {
            throw Invalid(location, $"'{segments[0]}' is not a bucket name (3-63 characters: lower-case letters, digits, dots and hyphens)");
        }

        foreach (var segment in segments.AsSpan(1))
        {
            if (segment is "." or ".." || segment.Any(char.IsControl))
            {
                throw Invalid(location, $"the prefix may not contain '{segment}'");
            }
        }

        var endpoint = new Uri(uri.GetLeftPart(UriPartial.Authority));
        return new S3Location(endpoint, segments[0], string.Join('/', segments.Skip(1)));
    }

    /// <inheritdoc/>
    public override string ToString() => Display;

    /// <summary>S3's bucket naming rules, which path-style addressing needs for the bucket to be one URL segment.</summary>
    internal static bool IsValidBucket(string name)
    {
        if (name.Length is < 3 or > 63 || !char.IsAsciiLetterLower(name[0]) && !char.IsAsciiDigit(name[0]))
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!char.IsAsciiLetterLower(c) && !char.IsAsciiDigit(c) && c is not '.' and not '-')
            {
                return false;
            }
        }

        return !name.EndsWith('-') && !name.EndsWith('.');
    }

    private static StoreLocationException Invalid(string location, string why) =>
        new($"'{location}' is not an s3: location: {why}");
}
