using System.Globalization;
using Cairn.Repository.Format;

namespace Cairn.Maintenance.Forget;

/// <summary>The calendar unit a keep bucket counts in.</summary>
public enum RetentionPeriod
{
    /// <summary>The last n snapshots.</summary>
    Last,
    /// <summary>One snapshot per hour.</summary>
    Hourly,
    /// <summary>One snapshot per day.</summary>
    Daily,
    /// <summary>One snapshot per week.</summary>
    Weekly,
    /// <summary>One snapshot per month.</summary>
    Monthly,
    /// <summary>One snapshot per year.</summary>
    Yearly,
}

internal static class RetentionPeriods
{
    public static readonly RetentionPeriod[] All =
        [RetentionPeriod.Last, RetentionPeriod.Hourly, RetentionPeriod.Daily, RetentionPeriod.Weekly, RetentionPeriod.Monthly, RetentionPeriod.Yearly];

    /// <summary>The counter's name in restic's JSON ("last", "hourly", ...).</summary>
    public static string Name(this RetentionPeriod period) => period switch
    {
        RetentionPeriod.Last => "last",
        RetentionPeriod.Hourly => "hourly",
        RetentionPeriod.Daily => "daily",
        RetentionPeriod.Weekly => "weekly",
        RetentionPeriod.Monthly => "monthly",
        RetentionPeriod.Yearly => "yearly",
        _ => throw new ArgumentOutOfRangeException(nameof(period)),
    };

    /// <summary>
    /// Which hour, day, ISO week, month or year a snapshot falls in, read on the wall clock of the UTC offset the
    /// snapshot was recorded with (a snapshot taken at 01:00+05:30 belongs to that day, not to the previous UTC day).
    /// For <see cref="RetentionPeriod.Last"/> every snapshot is its own period, so equal times still count twice.
    /// </summary>
    public static long Of(this RetentionPeriod period, NodeTime time, int position)
    {
        if (period == RetentionPeriod.Last)
        {
            return position;
        }

        var local = DateTime.UnixEpoch.AddSeconds(time.UnixSeconds + time.OffsetSeconds);
        return period switch
        {
            RetentionPeriod.Hourly => (((((long)local.Year * 100) + local.Month) * 100) + local.Day) * 100 + local.Hour,
            RetentionPeriod.Daily => ((((long)local.Year * 100) + local.Month) * 100) + local.Day,
            RetentionPeriod.Weekly => ((long)ISOWeek.GetYear(local) * 100) + ISOWeek.GetWeekOfYear(local),
            RetentionPeriod.Monthly => ((long)local.Year * 100) + local.Month,
            RetentionPeriod.Yearly => local.Year,
            _ => throw new ArgumentOutOfRangeException(nameof(period)),
        };
    }
}
