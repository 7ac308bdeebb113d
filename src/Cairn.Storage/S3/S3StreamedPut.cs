using System.Net;
using System.Net.Http.Headers;
using System.Xml.Linq;

namespace Cairn.Storage;

/// <summary>
/// One PUT whose body streams from the caller's stream straight to the socket, signed with the payload's SHA-256
/// known beforehand (the object's name, <see cref="IDeclaredContent"/>), over a plain HttpClient. The SDK cannot take
/// a hash it did not compute: for a stream that cannot seek it signs every 64 KiB chunk on the way
/// (<c>STREAMING-AWS4-HMAC-SHA256-PAYLOAD</c>) or holds parts in memory. The server checks the hash against the
/// bytes it got and stores nothing when they differ (RGW, MinIO and AWS answer 400 <c>XAmzContentSHA256Mismatch</c>).
/// </summary>
internal sealed class S3StreamedPut : IDisposable
{
    private const int CopyBufferSize = 256 << 10;
    private const int MaxErrorDocumentBytes = 64 << 10;

    private readonly S3StoreOptions _options;
    private readonly HttpClient _http;

    public S3StreamedPut(S3StoreOptions options)
    {
        _options = options;
        _http = new HttpClient(new SocketsHttpHandler
        {
            AutomaticDecompression = DecompressionMethods.None,
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
            UseCookies = false,
            AllowAutoRedirect = false,
        })
        {
            Timeout = options.RequestTimeout,
        };
    }

    /// <summary>
    /// Stores the body under <paramref name="key"/> unless the key exists (<c>If-None-Match: *</c>); false when the
    /// server said it exists. Other answers are thrown as the storage contract's exceptions.
    /// </summary>
    public async Task<bool> PutIfAbsentAsync(S3Location location, string key, Stream body, long length, string sha256Hex,
        string what, ObjectName name, CancellationToken cancellationToken)
    {
        var uri = new Uri(location.Endpoint, S3Signer.EscapePath($"/{location.Bucket}/{key}"));
        using var request = new HttpRequestMessage(HttpMethod.Put, uri)
        {
            Version = HttpVersion.Version11,
            Content = new StreamContent(body, CopyBufferSize),
        };
        request.Content.Headers.ContentLength = length;
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        request.Headers.TryAddWithoutValidation("If-None-Match", "*");
        S3Signer.Sign(request, _options.Credentials, _options.Region, sha256Hex, DateTimeOffset.UtcNow);

        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        if (response.IsSuccessStatusCode)
        {
            return true;
        }

        if (response.StatusCode is HttpStatusCode.PreconditionFailed or HttpStatusCode.Conflict)
        {
            return false;
        }

        var (code, message) = await ReadErrorAsync(response, cancellationToken).ConfigureAwait(false);
        if (code == "XAmzContentSHA256Mismatch")
        {
            throw new ContentMismatchException(name);
        }

        throw S3Errors.FromStatus((int)response.StatusCode, code, message, what, name, location.Display, inner: null);
    }

    public void Dispose() => _http.Dispose();

    /// <summary>The code and message of S3's XML error document, when the answer has one.</summary>
    private static async Task<(string? Code, string? Message)> ReadErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            var buffer = new byte[MaxErrorDocumentBytes];
            var read = await stream.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return (null, null);
            }

            var root = XDocument.Parse(System.Text.Encoding.UTF8.GetString(buffer, 0, read)).Root;
            return (Value(root, "Code"), Value(root, "Message"));
        }
        catch (Exception e) when (e is System.Xml.XmlException or IOException or HttpRequestException)
        {
            return (null, null); // no readable document: the status says enough
        }
    }

    private static string? Value(XElement? root, string name)
        => root?.Elements().FirstOrDefault(e => e.Name.LocalName == name)?.Value is { Length: > 0 } v ? v : null;
}
