using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Cairn.Storage;

/// <summary>
/// AWS Signature Version 4 for one S3 request, written from AWS's published description of it ("Signature Version 4
/// signing process"): a canonical request (method, path, query, the signed headers, the payload's SHA-256), hashed into
/// a string to sign under the day's credential scope, signed with a key derived from the secret by HMAC-SHA256 over
/// the day, region, service and <c>aws4_request</c>.
/// </summary>
internal static class S3Signer
{
    private const string Algorithm = "AWS4-HMAC-SHA256";
    private const string Service = "s3";

    /// <summary>Adds the date, payload hash, session token and Authorization headers to a request without a query string.</summary>
    public static void Sign(HttpRequestMessage request, S3Credentials credentials, string region, string payloadSha256, DateTimeOffset now)
    {
        var uri = request.RequestUri ?? throw new ArgumentException("the request has no address", nameof(request));
        var amzDate = now.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var day = amzDate[..8];

        // Signed: the host, the payload's hash and the date (and a session token); others may change on the way.
        var signed = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["host"] = uri.Authority,
            ["x-amz-content-sha256"] = payloadSha256,
            ["x-amz-date"] = amzDate,
        };
        if (credentials.SessionToken is { } token)
        {
            signed["x-amz-security-token"] = token;
        }

        foreach (var (name, value) in signed)
        {
            if (name != "host")
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }
        }

        var signedHeaders = string.Join(';', signed.Keys);
        var canonical = new StringBuilder()
            .Append(request.Method.Method).Append('\n')
            .Append(uri.AbsolutePath).Append('\n')
            .Append('\n'); // no query string
        foreach (var (name, value) in signed)
        {
            canonical.Append(name).Append(':').Append(value.Trim()).Append('\n');
        }

        canonical.Append('\n').Append(signedHeaders).Append('\n').Append(payloadSha256);

        var scope = $"{day}/{region}/{Service}/aws4_request";
        var stringToSign = $"{Algorithm}\n{amzDate}\n{scope}\n{HexSha256(canonical.ToString())}";
        var key = Hmac(Encoding.UTF8.GetBytes("AWS4" + credentials.SecretAccessKey), day);
        key = Hmac(key, region);
        key = Hmac(key, Service);
        key = Hmac(key, "aws4_request");
        var signature = Convert.ToHexStringLower(Hmac(key, stringToSign));
        request.Headers.TryAddWithoutValidation("Authorization",
            $"{Algorithm} Credential={credentials.AccessKeyId}/{scope}, SignedHeaders={signedHeaders}, Signature={signature}");
    }

    /// <summary>A key as it goes in a path: each segment percent-encoded but for RFC 3986's unreserved characters.</summary>
    public static string EscapePath(string path)
    {
        var escaped = new StringBuilder(path.Length + 16);
        foreach (var b in Encoding.UTF8.GetBytes(path))
        {
            var c = (char)b;
            if (c is (>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '_' or '.' or '~' or '/')
            {
                escaped.Append(c);
            }
            else
            {
                escaped.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return escaped.ToString();
    }

    private static string HexSha256(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    private static byte[] Hmac(byte[] key, string data) => HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(data));
}
