using Cairn.Agent.Protocol;

namespace Cairn.Agent.Scheduling;

/// <summary>
/// The local hours a run may start in (start inclusive, end exclusive; an end before the start crosses midnight).
/// A slot that falls outside waits for the window to open.
/// </summary>
public static class BackupWindow
{
    public static bool Contains(WindowDocument? window, string timeZone, DateTimeOffset moment)
    {
        if (window is null)
        {
            return true;
        }

        var (start, end) = Bounds(window);
        var local = TimeZoneInfo.ConvertTime(moment, ScheduleCalculator.Zone(timeZone)).TimeOfDay;
        return start <= end ? local >= start && local < end : local >= start || local < end;
    }

    /// <summary>The first moment at or after <paramref name="moment"/> inside the window.</summary>
    public static DateTimeOffset NextOpen(WindowDocument? window, string timeZone, DateTimeOffset moment)
    {
        if (window is null || Contains(window, timeZone, moment))
        {
            return moment;
        }

        var (hour, minute) = ScheduleCalculator.Time(window.Start);
        var opening = new ScheduleDocument { Kind = "daily", Time = $"{hour:D2}:{minute:D2}" };
        return ScheduleCalculator.NextAfter(opening, timeZone, moment) ?? moment;
    }

    private static (TimeSpan Start, TimeSpan End) Bounds(WindowDocument window)
    {
        var start = ScheduleCalculator.Time(window.Start);
        var end = ScheduleCalculator.Time(window.End);
        return (new TimeSpan(start.Hour, start.Minute, 0), new TimeSpan(end.Hour, end.Minute, 0));
    }
}
