namespace Cairn.Repository;

/// <summary>Base of the failures a user must be able to tell apart; each maps to one exit code in the CLI.</summary>
public abstract class RepositoryException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>No key file opens with the given password (exit code 12).</summary>
public sealed class WrongPasswordException()
    : RepositoryException("wrong password or no key found");

/// <summary>There is no repository at the location (exit code 10).</summary>
public sealed class RepositoryNotFoundException(string location, Exception? inner = null)
    : RepositoryException($"repository does not exist: unable to open config file at {location}", inner);

/// <summary>A stored file or blob failed authentication, decompression or parsing; the message names it (exit code 1).</summary>
public sealed class CorruptedDataException(string what, string reason, Exception? inner = null)
    : RepositoryException($"{what} is damaged: {reason}", inner)
{
    /// <summary>What was corrupted (a file or blob name).</summary>
    public string What { get; } = what;
}

/// <summary>Another process holds a conflicting lock (exit code 11).</summary>
public sealed class RepositoryLockedException(string message)
    : RepositoryException(message);

/// <summary>The repository uses a format this version cannot read.</summary>
public sealed class UnsupportedFormatException(string message)
    : RepositoryException(message);

/// <summary><c>init</c> on a location that already holds a repository.</summary>
public sealed class RepositoryExistsException(string location)
    : RepositoryException($"repository at {location} already exists (config file found)");
