using System.Net;

namespace Cairn.Storage;

/// <summary>Maps HTTP answers and transport failures of the REST protocol to the storage contract's exceptions, in one place.</summary>
internal static class RestErrors
{
    private const int MaxBodyChars = 2000;

    /// <summary>
    /// 404 is not found (of <paramref name="name"/> when given); 401/403, 402 and 507 (quota, storage full) and the
    /// other 4xx are refusals carrying the server's text; 408, 429 and the other 5xx are transient.
    /// </summary>
    public static async Task<Exception> FromResponseAsync(HttpResponseMessage response, string what, ObjectName? name, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        if (response.StatusCode == HttpStatusCode.NotFound && name is { } n)
        {
            return new ObjectNotFoundException(n);
        }

        var body = await ReadBodyAsync(response, cancellationToken).ConfigureAwait(false);
        var text = body.Length > 0 ? body : $"HTTP {status} {response.ReasonPhrase}";
        return status switch
        {
            507 => new StorageRefusedException(text, status),
            408 or 429 or >= 500 => new StorageException($"{what}: the server answered {status}: {text}", isTransient: true),
            >= 400 => new StorageRefusedException(text, status),
            _ => new StorageException($"{what}: unexpected answer {status}: {text}"),
        };
    }

    /// <summary>A failure of the transport itself; a cancellation the caller did not ask for is a timeout.</summary>
    public static Exception FromTransport(Exception error, string what, CancellationToken callerToken) => error switch
    {
        StorageException => error,
        OperationCanceledException when callerToken.IsCancellationRequested => error,
        OperationCanceledException => new StorageException($"{what}: timed out", isTransient: true, error),
        HttpRequestException or IOException => new StorageException($"{what}: {error.Message}", isTransient: true, error),
        _ => error,
    };

    private static async Task<string> ReadBodyAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            body = body.Trim();
            return body.Length > MaxBodyChars ? body[..MaxBodyChars] + "…" : body;
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            return "";
        }
    }
}
