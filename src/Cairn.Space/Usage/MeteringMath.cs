using System.Globalization;

namespace Cairn.Space.Usage;

/// <summary>
/// The arithmetic of metering, free of storage and time sources so it can be checked by hand. All in <c>decimal</c>:
/// hours come from exact ticks and GB-hours are kept to whole byte-hours, so a month's meters and its bill are the
/// same figures on every replica and on both databases.
/// </summary>
public static class MeteringMath
{
    /// <summary>Storage is billed in decimal gigabytes.</summary>
    public const decimal BytesPerGb = 1_000_000_000m;

    /// <summary>Decimals kept of a GB-hour figure: 9, a whole byte-hour; the scale of the meter's column.</summary>
    public const int GbHourDecimals = 9;

    public static string MonthOf(DateTimeOffset moment) => moment.UtcDateTime.ToString("yyyy-MM", CultureInfo.InvariantCulture);

    public static DateTimeOffset MonthStart(DateTimeOffset moment)
    {
        var utc = moment.UtcDateTime;
        return new DateTimeOffset(utc.Year, utc.Month, 1, 0, 0, 0, TimeSpan.Zero);
    }

    public static DateTimeOffset MonthEnd(DateTimeOffset moment) => MonthStart(moment).AddMonths(1);

    public static decimal HoursInMonth(DateTimeOffset moment) => Hours(MonthEnd(moment) - MonthStart(moment));

    /// <summary>The hours from <paramref name="moment"/> to the end of its month.</summary>
    public static decimal HoursLeftInMonth(DateTimeOffset moment) => Hours(MonthEnd(moment) - moment);

    /// <summary>A span in hours, exactly (from ticks, not <see cref="TimeSpan.TotalHours"/>'s double).</summary>
    public static decimal Hours(TimeSpan span) => (decimal)span.Ticks / TimeSpan.TicksPerHour;

    /// <summary>GB-hours rounded to what a meter keeps (<see cref="GbHourDecimals"/>), halves away from zero.</summary>
    public static decimal RoundGbHours(decimal gbHours) => decimal.Round(gbHours, GbHourDecimals, MidpointRounding.AwayFromZero);

    public static long OverBytes(long usedBytes, long freeBytes) => Math.Max(0, usedBytes - freeBytes);

    /// <summary>Splits [from, to) at UTC month boundaries into hours per month.</summary>
    public static IEnumerable<(string Month, decimal Hours)> HoursByMonth(DateTimeOffset from, DateTimeOffset to)
    {
        var cursor = from;
        while (cursor < to)
        {
            var end = MonthEnd(cursor) < to ? MonthEnd(cursor) : to;
            yield return (MonthOf(cursor), Hours(end - cursor));
            cursor = end;
        }
    }

    /// <summary>
    /// GB-hours above the free allowance of one instance over an interval, per task and month. The instance's
    /// usage is taken as moving evenly from its bytes at the start to its bytes at the end (trapezoid), and the
    /// overage is shared among tasks by their average bytes. Each share is rounded to a byte-hour.
    /// </summary>
    public static IEnumerable<(Guid TaskId, string Month, decimal GbHours)> Accrue(
        IReadOnlyList<(Guid TaskId, long BytesAtStart, long BytesAtEnd)> tasks,
        long freeBytes,
        DateTimeOffset from,
        DateTimeOffset to)
    {
        ArgumentNullException.ThrowIfNull(tasks);
        if (to <= from || tasks.Count == 0)
        {
            yield break;
        }

        // Sums in decimal: a long sum of many tasks' bytes could overflow, a decimal one cannot.
        var overStart = OverBytes(tasks.Sum(t => (decimal)t.BytesAtStart), freeBytes);
        var overEnd = OverBytes(tasks.Sum(t => (decimal)t.BytesAtEnd), freeBytes);
        var averageOverGb = (overStart + overEnd) / 2 / BytesPerGb;
        var totalWeight = tasks.Sum(t => Weight(t.BytesAtStart, t.BytesAtEnd));
        if (averageOverGb <= 0 || totalWeight <= 0)
        {
            yield break;
        }

        foreach (var (month, hours) in HoursByMonth(from, to))
        {
            foreach (var task in tasks)
            {
                var weight = Weight(task.BytesAtStart, task.BytesAtEnd);
                if (weight > 0)
                {
                    yield return (task.TaskId, month, RoundGbHours(averageOverGb * hours * (weight / totalWeight)));
                }
            }
        }
    }

    private static decimal OverBytes(decimal usedBytes, long freeBytes) => Math.Max(0, usedBytes - freeBytes);

    /// <summary>A task's average bytes over the interval, its share of the overage.</summary>
    private static decimal Weight(long bytesAtStart, long bytesAtEnd) => ((decimal)bytesAtStart + bytesAtEnd) / 2;
}
