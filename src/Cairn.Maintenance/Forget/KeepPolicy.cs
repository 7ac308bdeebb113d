using Cairn.Repository;
using Cairn.Repository.Format;

namespace Cairn.Maintenance.Forget;

/// <summary>
/// Which snapshots of a group to keep, with restic 0.14's rules (docs/forget.md): each counting rule is a bucket with
/// a counter that keeps the newest snapshot of each period until it runs out; <c>--keep-within</c> keeps everything
/// newer than the group's newest snapshot minus the span; the within-X rules count periods like X, without a limit,
/// but only inside their span; tag rules keep every snapshot carrying one of the lists. A snapshot is kept when any
/// rule keeps it. A policy without any rule keeps everything (restic refuses to act on it).
/// </summary>
public sealed record KeepPolicy
{
    /// <summary>Keep the last n snapshots.</summary>
    public int Last { get; init; }
    /// <summary>Keep the last snapshot of each of the last n hours.</summary>
    public int Hourly { get; init; }
    /// <summary>Keep the last snapshot of each of the last n days.</summary>
    public int Daily { get; init; }
    /// <summary>Keep the last snapshot of each of the last n weeks.</summary>
    public int Weekly { get; init; }
    /// <summary>Keep the last snapshot of each of the last n months.</summary>
    public int Monthly { get; init; }
    /// <summary>Keep the last snapshot of each of the last n years.</summary>
    public int Yearly { get; init; }
    /// <summary>Keep every snapshot within this duration of the newest.</summary>
    public RetentionDuration Within { get; init; }
    /// <summary>Keep hourly snapshots within this duration of the newest.</summary>
    public RetentionDuration WithinHourly { get; init; }
    /// <summary>Keep daily snapshots within this duration of the newest.</summary>
    public RetentionDuration WithinDaily { get; init; }
    /// <summary>Keep weekly snapshots within this duration of the newest.</summary>
    public RetentionDuration WithinWeekly { get; init; }
    /// <summary>Keep monthly snapshots within this duration of the newest.</summary>
    public RetentionDuration WithinMonthly { get; init; }
    /// <summary>Keep yearly snapshots within this duration of the newest.</summary>
    public RetentionDuration WithinYearly { get; init; }
    /// <summary>Keep snapshots that carry all tags of any of these lists.</summary>
    public IReadOnlyList<TagList> Tags { get; init; } = [];

    /// <summary>Whether the policy keeps nothing by any rule (forget refuses to apply it).</summary>
    public bool IsEmpty =>
        Last == 0 && Hourly == 0 && Daily == 0 && Weekly == 0 && Monthly == 0 && Yearly == 0
        && Within.IsZero && WithinHourly.IsZero && WithinDaily.IsZero && WithinWeekly.IsZero && WithinMonthly.IsZero && WithinYearly.IsZero
        && Tags.Count == 0;

    /// <summary>The count this policy keeps for one period.</summary>
    public int Count(RetentionPeriod period) => period switch
    {
        RetentionPeriod.Last => Last,
        RetentionPeriod.Hourly => Hourly,
        RetentionPeriod.Daily => Daily,
        RetentionPeriod.Weekly => Weekly,
        RetentionPeriod.Monthly => Monthly,
        RetentionPeriod.Yearly => Yearly,
        _ => throw new ArgumentOutOfRangeException(nameof(period)),
    };

    /// <summary>The span of the within-X rule for a period; zero for <see cref="RetentionPeriod.Last"/>.</summary>
    public RetentionDuration WithinFor(RetentionPeriod period) => period switch
    {
        RetentionPeriod.Hourly => WithinHourly,
        RetentionPeriod.Daily => WithinDaily,
        RetentionPeriod.Weekly => WithinWeekly,
        RetentionPeriod.Monthly => WithinMonthly,
        RetentionPeriod.Yearly => WithinYearly,
        _ => default,
    };

    /// <summary>
    /// Why the policy cannot be applied, or null. Negative counts and spans are refused: restic 0.14 would remove
    /// every snapshot of the group for them, later versions read -1 as "unlimited"; Cairn does neither.
    /// </summary>
    public string? Problem()
    {
        foreach (var period in RetentionPeriods.All)
        {
            if (Count(period) < 0)
            {
                return $"--keep-{period.Name()} must not be negative";
            }

            if (WithinFor(period).IsNegative)
            {
                return $"--keep-within-{period.Name()} must not be negative";
            }
        }

        return Within.IsNegative ? "--keep-within must not be negative" : null;
    }

    /// <summary>
    /// Decides one group. <paramref name="now"/> matters only for the span rules: snapshots dated after it are kept
    /// by every span rule but never serve as the "newest" the spans are measured from.
    /// </summary>
    public GroupDecision Apply(SnapshotGroupKey key, IEnumerable<(Id Id, Snapshot Snapshot)> group, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(group);
        if (Problem() is { } problem)
        {
            throw new ArgumentException(problem, nameof(group));
        }

        var ordered = group
            .OrderByDescending(s => s.Snapshot.Time.UnixSeconds)
            .ThenByDescending(s => s.Snapshot.Time.Nanoseconds)
            .ThenBy(s => s.Id.ToString(), StringComparer.Ordinal)
            .ToList();
        if (IsEmpty)
        {
            return new GroupDecision(key, ordered, [], []);
        }

        NodeTime? reference = ordered.Any(s => !IsAfter(s.Snapshot.Time, now))
            ? ordered.First(s => !IsAfter(s.Snapshot.Time, now)).Snapshot.Time
            : null;
        var counters = RetentionPeriods.All.ToDictionary(p => p, Count);
        var lastPeriod = new Dictionary<RetentionPeriod, long>();
        var lastWithinPeriod = new Dictionary<RetentionPeriod, long>();
        var keep = new List<(Id, Snapshot)>();
        var remove = new List<(Id, Snapshot)>();
        var reasons = new List<KeepReason>();
        for (var position = 0; position < ordered.Count; position++)
        {
            var (id, snapshot) = ordered[position];
            var matches = new List<string>();
            foreach (var tags in Tags)
            {
                if (tags.Matches(snapshot.Tags))
                {
                    matches.Add($"has tags {tags}");
                }
            }

            if (!Within.IsZero && IsWithin(snapshot.Time, Within, reference))
            {
                matches.Add($"within {Within}");
            }

            foreach (var period in RetentionPeriods.All)
            {
                if (counters[period] <= 0)
                {
                    continue;
                }

                var value = period.Of(snapshot.Time, position);
                if (!lastPeriod.TryGetValue(period, out var previous) || previous != value)
                {
                    lastPeriod[period] = value;
                    counters[period]--;
                    matches.Add(period == RetentionPeriod.Last ? "last snapshot" : $"{period.Name()} snapshot");
                }
            }

            foreach (var period in RetentionPeriods.All)
            {
                var span = WithinFor(period);
                if (span.IsZero || !IsWithin(snapshot.Time, span, reference))
                {
                    continue;
                }

                var value = period.Of(snapshot.Time, position);
                if (!lastWithinPeriod.TryGetValue(period, out var previous) || previous != value)
                {
                    lastWithinPeriod[period] = value;
                    matches.Add($"{period.Name()} within {span}");
                }
            }

            if (matches.Count == 0)
            {
                remove.Add((id, snapshot));
                continue;
            }

            keep.Add((id, snapshot));
            var left = RetentionPeriods.All.Where(p => counters[p] > 0).ToDictionary(p => p.Name(), p => counters[p]);
            reasons.Add(new KeepReason(id, snapshot, matches, left));
        }

        return new GroupDecision(key, keep, remove, reasons);
    }

    private static bool IsAfter(NodeTime time, DateTimeOffset now)
    {
        var nowSeconds = now.ToUnixTimeSeconds();
        var nowNanos = (uint)((now.UtcTicks % TimeSpan.TicksPerSecond) * 100);
        return time.UnixSeconds > nowSeconds || (time.UnixSeconds == nowSeconds && time.Nanoseconds > nowNanos);
    }

    /// <summary>
    /// Strictly newer than the reference minus the span. Without a reference (every snapshot lies in the future)
    /// restic measures from the zero time, which keeps everything.
    /// </summary>
    private static bool IsWithin(NodeTime time, RetentionDuration span, NodeTime? newest)
    {
        if (newest is not { } reference)
        {
            return true;
        }

        var cutoff = span.SubtractFrom(reference.UnixSeconds, reference.OffsetSeconds);
        return time.UnixSeconds > cutoff || (time.UnixSeconds == cutoff && time.Nanoseconds > reference.Nanoseconds);
    }

    /// <summary>A one-line summary in restic's words, e.g. "keep 3 daily, 2 weekly snapshots".</summary>
    public string Describe()
    {
        if (IsEmpty)
        {
            return "no policy";
        }

        var parts = new List<string>();
        var counts = new List<string>();
        foreach (var period in RetentionPeriods.All)
        {
            if (Count(period) > 0)
            {
                counts.Add(period == RetentionPeriod.Last ? $"{Last} latest" : $"{Count(period)} {period.Name()}");
            }
        }

        if (counts.Count > 0)
        {
            parts.Add(string.Join(", ", counts) + " snapshots");
        }

        foreach (var period in RetentionPeriods.All)
        {
            var span = WithinFor(period);
            if (!span.IsZero)
            {
                parts.Add($"{period.Name()} snapshots within {span}");
            }
        }

        var sentence = "keep " + string.Join(", ", parts);
        if (Tags.Count > 0)
        {
            sentence += (parts.Count > 0 ? " and " : "") + $"all snapshots with tags [{string.Join(" ", Tags)}]";
        }

        if (!Within.IsZero)
        {
            sentence += (parts.Count > 0 || Tags.Count > 0 ? " and " : "") + $"all snapshots within {Within} of the newest";
        }

        return sentence;
    }
}
