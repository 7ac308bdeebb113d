namespace Cairn.Storage;

/// <summary>A store failed. <see cref="IsTransient"/> tells the retry wrapper whether trying again may help.</summary>
public class StorageException : Exception
{
    /// <summary>A storage failure; <paramref name="isTransient"/> says whether a retry may succeed.</summary>
    public StorageException(string message, bool isTransient = false, Exception? inner = null)
        : base(message, inner) => IsTransient = isTransient;

    /// <summary>Whether a retry may succeed (the retry wrapper retries only these).</summary>
    public bool IsTransient { get; }
}

/// <summary>The named object does not exist. Never transient: retrying will not make it appear.</summary>
public sealed class ObjectNotFoundException(ObjectName name)
    : StorageException($"{name} does not exist")
{
    /// <summary>The object that does not exist.</summary>
    public ObjectName ObjectName { get; } = name;
}

/// <summary>An object of that name exists already; objects are written once and never overwritten.</summary>
public sealed class ObjectExistsException(ObjectName name)
    : StorageException($"{name} already exists")
{
    /// <summary>The object that already exists.</summary>
    public ObjectName ObjectName { get; } = name;
}

/// <summary>There is no repository at the location (missing folder, 404 on the config of a REST path).</summary>
public sealed class StoreNotFoundException(string location, Exception? inner = null)
    : StorageException($"no repository found at {location}", false, inner)
{
    /// <summary>The location with no store.</summary>
    public string Location { get; } = location;
}

/// <summary>
/// The bytes of a save that declared they hash to their name (<see cref="IDeclaredContent"/>) do not; the server
/// checked and stored nothing. Never transient: the same bytes fail again.
/// </summary>
public sealed class ContentMismatchException(ObjectName name)
    : StorageException($"the bytes sent for {name} do not hash to its name; nothing was stored")
{
    /// <summary>The object whose content did not match.</summary>
    public ObjectName ObjectName { get; } = name;
}

/// <summary>The store refuses the operation for good (permission, quota, append-only); the message is the store's own.</summary>
public sealed class StorageRefusedException(string message, int? statusCode = null)
    : StorageException(message)
{
    /// <summary>The HTTP status the server answered, when there was one.</summary>
    public int? StatusCode { get; } = statusCode;
}

/// <summary>
/// A location cannot name a store as written, or a setting it needs is missing (an s3: location without
/// credentials). An <see cref="ArgumentException"/> whose message is meant for the user as it is.
/// </summary>
public sealed class StoreLocationException(string message) : ArgumentException(message);

/// <summary>
/// The store's server could not be reached at all: refused connection, unknown host name, failed TLS handshake.
/// <see cref="Reason"/> says which in a few words; <see cref="StorageException.IsTransient"/> is true except for TLS,
/// but <see cref="RetryingObjectStore"/> gives up at once while a store has never answered (a repository being opened).
/// </summary>
public sealed class StoreUnreachableException(string location, string reason, bool isTransient, Exception? inner = null)
    : StorageException($"cannot reach {location}: {reason}", isTransient, inner)
{
    /// <summary>The location that could not be reached.</summary>
    public string Location { get; } = location;

    /// <summary>Why it could not be reached.</summary>
    public string Reason { get; } = reason;
}

/// <summary>The server refused the credential in the location (HTTP 401, or 403 without an explanation of its own).</summary>
public sealed class CredentialRefusedException(string location, int statusCode)
    : StorageException($"Space refused the credential for {location} (wrong or revoked secret?)")
{
    /// <summary>The location that refused the credentials.</summary>
    public string Location { get; } = location;

    /// <summary>The HTTP status the server answered.</summary>
    public int StatusCode { get; } = statusCode;
}
