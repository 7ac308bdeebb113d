using System.Net;
using System.Net.Sockets;
using System.Security.Authentication;

namespace Cairn.Storage;

/// <summary>Maps HTTP answers and transport failures of the REST protocol to the storage contract's exceptions, in one place.</summary>
internal static class RestErrors
{
    private const int MaxBodyChars = 2000;

    /// <summary>
    /// 404 is not found (of <paramref name="name"/> when given); 401, and 403 without a text of the server's own, is
    /// the credential refused for <paramref name="location"/>; 402, 507 (quota, storage full), a 403 that explains
    /// itself (append-only, account closed) and the other 4xx are refusals carrying the server's text; 408, 429 and
    /// the other 5xx are transient.
    /// </summary>
    public static async Task<Exception> FromResponseAsync(HttpResponseMessage response, string what, ObjectName? name, string location, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        if (response.StatusCode == HttpStatusCode.NotFound && name is { } n)
        {
            return new ObjectNotFoundException(n);
        }

        var body = await ReadBodyAsync(response, cancellationToken).ConfigureAwait(false);
        if (status == 401 || (status == 403 && body.Length == 0))
        {
            return new CredentialRefusedException(location, status);
        }

        var text = body.Length > 0 ? body : $"HTTP {status} {response.ReasonPhrase}";
        return status switch
        {
            507 => new StorageRefusedException(text, status),
            408 or 429 or >= 500 => new StorageException($"{what}: the server answered {status}: {text}", isTransient: true),
            >= 400 => new StorageRefusedException(text, status),
            _ => new StorageException($"{what}: unexpected answer {status}: {text}"),
        };
    }

    /// <summary>
    /// A failure of the transport itself; a cancellation the caller did not ask for is a timeout. A server that
    /// cannot be reached at all (refused, unknown name, TLS) is <see cref="StoreUnreachableException"/> naming
    /// <paramref name="location"/> (already masked) and the reason.
    /// </summary>
    public static Exception FromTransport(Exception error, string what, string location, CancellationToken callerToken) => error switch
    {
        StorageException => error,
        OperationCanceledException when callerToken.IsCancellationRequested => error,
        OperationCanceledException => new StorageException($"{what}: timed out", isTransient: true, error),
        HttpRequestException http when Unreachable(http) is { } reason =>
            new StoreUnreachableException(location, reason.Text, reason.Transient, error),
        HttpRequestException or IOException => new StorageException($"{what}: {error.Message}", isTransient: true, error),
        _ => error,
    };

    /// <summary>Why a request never reached the server, in a few words, or null when it did (or the cause is unknown).</summary>
    private static (string Text, bool Transient)? Unreachable(HttpRequestException error)
    {
        var socket = FindInner<SocketException>(error);
        switch (error.HttpRequestError)
        {
            case HttpRequestError.NameResolutionError:
                return ($"host name not found (DNS){Detail(socket?.Message)}", true);
            case HttpRequestError.SecureConnectionError:
                return ($"TLS handshake failed{Detail(FindInner<AuthenticationException>(error)?.Message ?? error.Message)}", false);
        }

        return socket?.SocketErrorCode switch
        {
            SocketError.ConnectionRefused => ("connection refused", true),
            SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain => ($"host name not found (DNS){Detail(socket.Message)}", true),
            SocketError.HostUnreachable or SocketError.NetworkUnreachable => ($"{socket.Message.ToLowerInvariant()}", true),
            _ => null,
        };
    }

    private static string Detail(string? message) => string.IsNullOrEmpty(message) ? "" : $" ({message.TrimEnd('.')})";

    private static T? FindInner<T>(Exception error) where T : Exception
    {
        for (var e = error.InnerException; e is not null; e = e.InnerException)
        {
            if (e is T found)
            {
                return found;
            }
        }

        return null;
    }

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
