using System.Collections.Concurrent;

namespace Cairn.Storage.Testing;

/// <summary>
/// A clock whose timers fire at once (on the thread pool) and which remembers every delay asked for,
/// so backoff can be tested without waiting.
/// </summary>
public sealed class InstantTimeProvider : TimeProvider
{
    private readonly ConcurrentQueue<TimeSpan> _delays = new();

    /// <summary>Every due time asked for, in order.</summary>
    public IReadOnlyList<TimeSpan> Delays => [.. _delays];

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        ArgumentNullException.ThrowIfNull(callback);
        if (dueTime != Timeout.InfiniteTimeSpan)
        {
            _delays.Enqueue(dueTime);
            ThreadPool.UnsafeQueueUserWorkItem(_ => callback(state), null);
        }

        return new FiredTimer();
    }

    private sealed class FiredTimer : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period) => false;

        public void Dispose()
        {
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
