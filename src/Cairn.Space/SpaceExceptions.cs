using Cairn.Space.Backups;
using Cairn.Space.Usage;

namespace Cairn.Space;

/// <summary>A request breaks a rule of the domain (a bad name, a negative cap): the caller must change it.</summary>
public sealed class DomainRuleException(string message) : Exception(message);

/// <summary>The thing asked for does not exist, or is not the caller's to see (the two are never told apart).</summary>
public sealed class NotFoundException(string message) : Exception(message);

/// <summary>The request clashes with what exists (a name in use, an instance that still has tasks).</summary>
public sealed class ConflictException(string message) : Exception(message);

/// <summary>The caller is known but not allowed to do this (sign-up closed, wrong password).</summary>
public sealed class AccessDeniedException(string message) : Exception(message);

/// <summary>
/// The backup password opens none of the task repository's keys (checked before an order is placed or paid): the
/// caller must give the right one. <see cref="Untried"/> counts key files Space did not try (over its scrypt bounds).
/// </summary>
public sealed class WrongBackupPasswordException(int untried = 0) : Exception(untried == 0
    ? "the backup password is wrong: it opens none of the repository's keys"
    : $"the backup password is wrong: it opens none of the repository's keys Space tried ({untried} not tried: too costly or unreadable)")
{
    public int Untried { get; } = untried;
}

/// <summary>Too many attempts (sign-in, sign-up) or a locked account: the caller may try again after <see cref="RetryAfter"/>.</summary>
public sealed class TooManyRequestsException(string message, TimeSpan retryAfter) : Exception(message)
{
    public TimeSpan RetryAfter { get; } = retryAfter < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : retryAfter;

    /// <summary>Whole seconds, rounded up, for the <c>Retry-After</c> header.</summary>
    public long RetryAfterSeconds => (long)Math.Ceiling(RetryAfter.TotalSeconds);
}
