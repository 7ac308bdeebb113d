namespace Cairn.Storage;

/// <summary>How <see cref="RetryingObjectStore"/> retries: attempts in all, and an exponential backoff with jitter.</summary>
public sealed record RetryOptions
{
    /// <summary>Calls in all, the first included; 1 means no retry.</summary>
    public int MaxAttempts { get; init; } = 8;

    /// <summary>The wait before the first retry; each next one doubles, up to <see cref="MaxDelay"/>.</summary>
    public TimeSpan InitialDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Longest wait between attempts.</summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Told before each retry, e.g. to print a warning.</summary>
    public Action<RetryAttempt>? OnRetry { get; init; }

    /// <summary>The options used when none are given.</summary>
    public static RetryOptions Default { get; } = new();

    /// <summary>
    /// The wait before retry number <paramref name="retry"/> (1-based): the doubled delay capped at
    /// <see cref="MaxDelay"/>, then scaled by a random factor in [0.5, 1) so that clients do not retry in step.
    /// </summary>
    public TimeSpan DelayBefore(int retry, double random)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(retry, 1);
        var exponent = Math.Min(retry - 1, 30);
        var ticks = Math.Min(InitialDelay.Ticks * Math.Pow(2, exponent), MaxDelay.Ticks);
        return TimeSpan.FromTicks((long)(ticks * (0.5 + (random / 2))));
    }
}
