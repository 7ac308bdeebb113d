using System.Net;
using System.Net.Sockets;
using Amazon.Runtime;
using Amazon.S3;

namespace Cairn.Storage;

/// <summary>Maps what the S3 client throws to the storage contract's exceptions, in one place.</summary>
internal static class S3Errors
{
    /// <summary>
    /// 404 is not found (of <paramref name="name"/> when given, else of the bucket); 401/403 and the other 4xx are
    /// refusals with the server's message; 408, 429 (SlowDown), 5xx and network failures are transient; a
    /// cancellation the caller did not ask for is a timeout, transient too.
    /// </summary>
    public static Exception Map(Exception error, string what, ObjectName? name, string location, CancellationToken callerToken)
    {
        switch (error)
        {
            case StorageException:
                return error;
            case OperationCanceledException when callerToken.IsCancellationRequested:
                return error;
            case OperationCanceledException:
                return new StorageException($"{what}: timed out", isTransient: true, error);
            case AmazonServiceException service when service.StatusCode != 0:
                return FromStatus(service, what, name, location);
        }

        if (IsNetworkFailure(error))
        {
            return new StorageException($"{what}: {error.Message}", isTransient: true, error);
        }

        return error is AmazonClientException
            ? new StorageException($"{what}: {error.Message}", isTransient: false, error)
            : error;
    }

    /// <summary>The server said the object exists already (a conditional write lost): 412, or 409 when writes raced.</summary>
    public static bool IsConditionFailed(Exception error) =>
        error is AmazonServiceException { StatusCode: HttpStatusCode.PreconditionFailed or HttpStatusCode.Conflict };

    public static bool IsNotFound(Exception error) => error is AmazonServiceException { StatusCode: HttpStatusCode.NotFound };

    public static bool IsNoSuchBucket(Exception error) => error is AmazonServiceException { ErrorCode: "NoSuchBucket" };

    private static Exception FromStatus(AmazonServiceException error, string what, ObjectName? name, string location)
        => FromStatus((int)error.StatusCode, error.ErrorCode, error.Message, what, name, location, error);

    /// <summary>An answer that is not a success, from its status and the error document's code and message.</summary>
    public static Exception FromStatus(int status, string? errorCode, string? message, string what, ObjectName? name, string location, Exception? inner)
    {
        if (errorCode == "NoSuchBucket")
        {
            return new StoreNotFoundException(location, inner);
        }

        if (status == 404 && name is { } n)
        {
            return new ObjectNotFoundException(n);
        }

        var text = string.IsNullOrWhiteSpace(message) ? $"HTTP {status}" : message;
        var code = string.IsNullOrEmpty(errorCode) ? "" : $" ({errorCode})";
        return status switch
        {
            408 or 429 or >= 500 => new StorageException($"{what}: the server answered {status}{code}: {text}", isTransient: true, inner),
            >= 400 => new StorageRefusedException($"{what}: {text}{code}", status),
            _ => new StorageException($"{what}: unexpected answer {status}{code}: {text}", isTransient: false, inner),
        };
    }

    private static bool IsNetworkFailure(Exception error)
    {
        for (var e = error; e is not null; e = e.InnerException)
        {
            if (e is HttpRequestException or IOException or SocketException or TimeoutException)
            {
                return true;
            }
        }

        return false;
    }
}
