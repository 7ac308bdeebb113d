namespace Cairn.Storage;

/// <summary>Decides which failures a retry may cure.</summary>
internal static class TransientFailures
{
    /// <summary>
    /// Transient: a <see cref="StorageException"/> marked so, and the network and I/O failures that surface
    /// unwrapped (<see cref="IOException"/>, <see cref="HttpRequestException"/>, timeouts). Never: a missing or
    /// existing object, a refusal, or a cancellation the caller asked for.
    /// </summary>
    public static bool IsTransient(Exception error, CancellationToken cancellationToken) => error switch
    {
        ObjectNotFoundException or ObjectExistsException or StorageRefusedException or StoreNotFoundException => false,
        StorageException storage => storage.IsTransient,
        OperationCanceledException => !cancellationToken.IsCancellationRequested, // an internal timeout, not the caller
        TimeoutException or IOException or HttpRequestException => true,
        _ => false,
    };
}
