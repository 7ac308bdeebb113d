namespace Cairn.Storage.Testing;

/// <summary>
/// The order every reader must touch a repository in (docs/format.md, "Ordering"), checked over recorded calls:
/// its lock file written before any snapshot or index file is touched, and every snapshot call before the first index call.
/// </summary>
public static class ReadOrder
{
    /// <summary>What breaks the order in <paramref name="calls"/>, or null when it holds; <paramref name="locked"/> false for --no-lock.</summary>
    public static string? Violation(IReadOnlyList<RecordedCall> calls, bool locked = true)
    {
        ArgumentNullException.ThrowIfNull(calls);
        var firstSnapshot = First(calls, c => c.Kind == ObjectKind.Snapshot);
        var lastSnapshot = Last(calls, c => c.Kind == ObjectKind.Snapshot);
        var firstIndex = First(calls, c => c.Kind == ObjectKind.Index);
        var lockWritten = First(calls, c => c.Kind == ObjectKind.Lock && c.Operation == StoreOperation.Save);
        if (locked && lockWritten < 0)
        {
            return "no lock file was written";
        }

        if (locked && firstSnapshot >= 0 && firstSnapshot < lockWritten)
        {
            return $"a snapshot was touched (call {firstSnapshot}: {calls[firstSnapshot]}) before the lock was written (call {lockWritten})";
        }

        if (locked && firstIndex >= 0 && firstIndex < lockWritten)
        {
            return $"the index was touched (call {firstIndex}: {calls[firstIndex]}) before the lock was written (call {lockWritten})";
        }

        if (firstIndex >= 0 && lastSnapshot > firstIndex)
        {
            return $"a snapshot was touched (call {lastSnapshot}: {calls[lastSnapshot]}) after the index was (call {firstIndex}: {calls[firstIndex]})";
        }

        return null;
    }

    private static int First(IReadOnlyList<RecordedCall> calls, Func<RecordedCall, bool> match)
    {
        for (var i = 0; i < calls.Count; i++)
        {
            if (match(calls[i]))
            {
                return i;
            }
        }

        return -1;
    }

    private static int Last(IReadOnlyList<RecordedCall> calls, Func<RecordedCall, bool> match)
    {
        for (var i = calls.Count - 1; i >= 0; i--)
        {
            if (match(calls[i]))
            {
                return i;
            }
        }

        return -1;
    }
}
