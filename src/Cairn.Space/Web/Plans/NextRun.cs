using System.Globalization;
using Cairn.Space.Plans;
using Cronos;

namespace Cairn.Space.Web.Plans;

/// <summary>
/// A plan's next slot after a moment, by the agent's rule (src/Cairn.Agent/Scheduling): every kind but monthly is a
/// Cronos expression in the plan's time zone; a monthly day a month lacks runs on that month's last day.
/// </summary>
public static class NextRun
{
    private static readonly string[] Weekdays = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"];

    public static DateTimeOffset? After(PlanSchedule schedule, string timeZone, DateTimeOffset after)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(string.IsNullOrEmpty(timeZone) ? "UTC" : timeZone, out var zone))
        {
            return null;
        }

        if (schedule.Kind == "monthly")
        {
            return Monthly(schedule, zone, after);
        }

        var text = schedule.Kind switch
        {
            "hourly" => $"{schedule.Minute ?? 0} * * * *",
            "daily" => $"{Minute(schedule.Time)} {Hour(schedule.Time)} * * *",
            "weekly" => $"{Minute(schedule.Time)} {Hour(schedule.Time)} * * {Array.IndexOf(Weekdays, schedule.Weekday ?? "")}",
            _ => schedule.Cron ?? "",
        };
        try
        {
            var next = CronExpression.Parse(text, CronFormat.Standard).GetNextOccurrence(after.UtcDateTime, zone, inclusive: false);
            return next is { } utc ? new DateTimeOffset(utc, TimeSpan.Zero) : null;
        }
        catch (CronFormatException)
        {
            return null;
        }
    }

    private static DateTimeOffset? Monthly(PlanSchedule schedule, TimeZoneInfo zone, DateTimeOffset after)
    {
        var day = schedule.DayOfMonth ?? 1;
        var local = TimeZoneInfo.ConvertTime(after, zone);
        // Each month's slot as a one-day cron, so daylight saving follows Cronos's rule as for the other kinds.
        for (var month = new DateTime(local.Year, local.Month, 1, 0, 0, 0, DateTimeKind.Unspecified); month.Year < local.Year + 2; month = month.AddMonths(1))
        {
            var slotDay = Math.Min(day, DateTime.DaysInMonth(month.Year, month.Month));
            var text = $"{Minute(schedule.Time)} {Hour(schedule.Time)} {slotDay} {month.Month} *";
            var next = CronExpression.Parse(text, CronFormat.Standard).GetNextOccurrence(after.UtcDateTime, zone, inclusive: false);
            if (next is { } utc && TimeZoneInfo.ConvertTime(new DateTimeOffset(utc, TimeSpan.Zero), zone).Year == month.Year)
            {
                return new DateTimeOffset(utc, TimeSpan.Zero);
            }
        }

        return null;
    }

    private static int Hour(string? time) => int.Parse(time?[..2] ?? "0", CultureInfo.InvariantCulture);

    private static int Minute(string? time) => int.Parse(time?[3..5] ?? "0", CultureInfo.InvariantCulture);
}
