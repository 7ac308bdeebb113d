namespace Cairn.Storage;

/// <summary>
/// A token bucket over bytes: tokens come in at a fixed rate up to one second's worth, and a transfer of n bytes takes
/// n tokens. A transfer that finds too few takes them anyway (the balance goes below zero) and waits until the debt
/// would have been paid, so many concurrent transfers share the rate instead of starving each other.
/// </summary>
internal sealed class TokenBucket
{
    private readonly long _bytesPerSecond;
    private readonly TimeProvider _time;
    private readonly object _lock = new();
    private double _tokens;
    private long _refilledAt;

    public TokenBucket(long bytesPerSecond, TimeProvider? timeProvider = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bytesPerSecond, 1);
        _bytesPerSecond = bytesPerSecond;
        _time = timeProvider ?? TimeProvider.System;
        _tokens = bytesPerSecond;
        _refilledAt = _time.GetTimestamp();
    }

    public long BytesPerSecond => _bytesPerSecond;

    /// <summary>Takes <paramref name="bytes"/> tokens now; returns how long the caller must wait before moving them.</summary>
    public TimeSpan Take(long bytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        lock (_lock)
        {
            var now = _time.GetTimestamp();
            var earned = _time.GetElapsedTime(_refilledAt, now).TotalSeconds * _bytesPerSecond;
            _refilledAt = now;
            _tokens = Math.Min(_bytesPerSecond, _tokens + earned) - bytes;
            return _tokens >= 0 ? TimeSpan.Zero : TimeSpan.FromSeconds(-_tokens / _bytesPerSecond);
        }
    }

    /// <summary>Takes <paramref name="bytes"/> tokens and waits for them.</summary>
    public async ValueTask WaitAsync(long bytes, CancellationToken cancellationToken = default)
    {
        var delay = Take(bytes);
        if (delay > TimeSpan.Zero)
        {
            await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
        }
    }
}
