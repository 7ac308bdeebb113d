using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Cairn.Space.Alerts;

/// <summary>
/// POSTs an alert as JSON (<see cref="AlertMessage"/>) to the channel's URL. With a secret, the body is signed:
/// <c>X-Cairn-Signature: sha256=&lt;hex HMAC-SHA256 of the body with the secret&gt;</c>.
/// </summary>
public sealed class WebhookSender(IHttpClientFactory clients)
{
    public const string SignatureHeader = "X-Cairn-Signature";

    public async Task SendAsync(string url, string? secret, AlertMessage alert, CancellationToken cancellationToken)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(alert);
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        if (secret is not null)
        {
            request.Headers.Add(SignatureHeader, Signature(secret, body));
        }

        await AlertHttp.SendAsync(clients, request, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>What a receiver computes to check a body came from this Space.</summary>
    public static string Signature(string secret, ReadOnlySpan<byte> body)
        => "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));
}
