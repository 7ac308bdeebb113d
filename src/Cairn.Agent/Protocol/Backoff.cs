namespace Cairn.Agent.Protocol;

/// <summary>The wait before retrying an unreachable Space: 1 s, doubling after each failure, at most 5 minutes.</summary>
public sealed class Backoff
{
    public static readonly TimeSpan First = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan Longest = TimeSpan.FromMinutes(5);

    private TimeSpan _next = First;

    /// <summary>The wait for this failure; the next one waits twice as long.</summary>
    public TimeSpan NextDelay()
    {
        var delay = _next;
        _next = _next * 2 > Longest ? Longest : _next * 2;
        return delay;
    }

    public void Reset() => _next = First;
}
