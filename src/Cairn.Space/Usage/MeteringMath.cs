using System.Globalization;

namespace Cairn.Space.Usage;

/// <summary>The arithmetic of metering, free of storage and time sources so it can be checked by hand.</summary>
public static class MeteringMath
{
    /// <summary>Storage is billed in decimal gigabytes.</summary>
    public const double BytesPerGb = 1e9;

    public static string MonthOf(DateTimeOffset moment) => moment.UtcDateTime.ToString("yyyy-MM", CultureInfo.InvariantCulture);

    public static DateTimeOffset MonthStart(DateTimeOffset moment)
    {
        var utc = moment.UtcDateTime;
        return new DateTimeOffset(utc.Year, utc.Month, 1, 0, 0, 0, TimeSpan.Zero);
    }

    public static DateTimeOffset MonthEnd(DateTimeOffset moment) => MonthStart(moment).AddMonths(1);

    public static double HoursInMonth(DateTimeOffset moment) => (MonthEnd(moment) - MonthStart(moment)).TotalHours;

    public static long OverBytes(long usedBytes, long freeBytes) => Math.Max(0, usedBytes - freeBytes);

    /// <summary>Splits [from, to) at UTC month boundaries into hours per month.</summary>
    public static IEnumerable<(string Month, double Hours)> HoursByMonth(DateTimeOffset from, DateTimeOffset to)
    {
        var cursor = from;
        while (cursor < to)
        {
            var end = MonthEnd(cursor) < to ? MonthEnd(cursor) : to;
            yield return (MonthOf(cursor), (end - cursor).TotalHours);
            cursor = end;
        }
    }

    /// <summary>
    /// GB-hours above the free allowance of one instance over an interval, per task and month. The instance's
    /// usage is taken as moving evenly from its bytes at the start to its bytes at the end (trapezoid), and the
    /// overage is shared among tasks by their average bytes.
    /// </summary>
    public static IEnumerable<(Guid TaskId, string Month, double GbHours)> Accrue(
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

        var overStart = OverBytes(tasks.Sum(t => t.BytesAtStart), freeBytes);
        var overEnd = OverBytes(tasks.Sum(t => t.BytesAtEnd), freeBytes);
        var averageOverGb = (overStart + overEnd) / 2.0 / BytesPerGb;
        var totalWeight = tasks.Sum(t => (t.BytesAtStart + t.BytesAtEnd) / 2.0);
        if (averageOverGb <= 0 || totalWeight <= 0)
        {
            yield break;
        }

        foreach (var (month, hours) in HoursByMonth(from, to))
        {
            foreach (var task in tasks)
            {
                var weight = (task.BytesAtStart + task.BytesAtEnd) / 2.0;
                if (weight > 0)
                {
                    yield return (task.TaskId, month, averageOverGb * hours * weight / totalWeight);
                }
            }
        }
    }
}
