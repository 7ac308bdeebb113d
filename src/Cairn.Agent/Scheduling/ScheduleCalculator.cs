using System.Globalization;
using Cairn.Agent.Protocol;
using Cronos;

namespace Cairn.Agent.Scheduling;

/// <summary>
/// The next slot of a schedule after a moment, in the plan's IANA time zone. Every kind becomes a Cronos expression,
/// so daylight saving is Cronos's rule: a time the clocks skip runs at the change, a time they repeat runs once.
/// A monthly day a month lacks (the 31st in April) runs on that month's last day.
/// </summary>
public static class ScheduleCalculator
{
    private static readonly string[] Weekdays = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"];

    /// <summary>The first slot strictly after <paramref name="after"/>, or null when the expression never fires again.</summary>
    public static DateTimeOffset? NextAfter(ScheduleDocument schedule, string timeZone, DateTimeOffset after)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        var zone = Zone(timeZone);
        if (schedule.Kind == "monthly")
        {
            return NextMonthly(schedule, zone, after);
        }

        var next = Expression(schedule).GetNextOccurrence(after.UtcDateTime, zone, inclusive: false);
        return next is { } utc ? new DateTimeOffset(utc, TimeSpan.Zero) : null;
    }

    /// <summary>The last slot at or before <paramref name="now"/> and after <paramref name="since"/>, or null when none fell in between.</summary>
    public static DateTimeOffset? LatestBetween(ScheduleDocument schedule, string timeZone, DateTimeOffset since, DateTimeOffset now)
    {
        DateTimeOffset? latest = null;
        var cursor = since;
        // A minute-by-minute cron over a long absence is many slots; they are only counted, never run one by one.
        for (var i = 0; i < 1_000_000; i++)
        {
            var next = NextAfter(schedule, timeZone, cursor);
            if (next is not { } slot || slot > now)
            {
                break;
            }

            latest = slot;
            cursor = slot;
        }

        return latest;
    }

    public static TimeZoneInfo Zone(string timeZone)
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(string.IsNullOrEmpty(timeZone) ? "UTC" : timeZone);
        }
        catch (TimeZoneNotFoundException e)
        {
            throw new ScheduleException($"unknown time zone \"{timeZone}\"", e);
        }
    }

    /// <summary>Checks a schedule; the message names what is wrong.</summary>
    public static void Validate(ScheduleDocument schedule, string timeZone)
    {
        _ = Zone(timeZone);
        if (schedule.Kind == "monthly")
        {
            _ = MonthlyDay(schedule);
            _ = Time(schedule.Time);
            return;
        }

        _ = Expression(schedule);
    }

    private static CronExpression Expression(ScheduleDocument schedule)
    {
        var text = schedule.Kind switch
        {
            "hourly" => $"{Minute(schedule.Minute)} * * * *",
            "daily" => Cron(Time(schedule.Time), "*", "*"),
            "weekly" => Cron(Time(schedule.Time), "*", Weekday(schedule.Weekday).ToString(CultureInfo.InvariantCulture)),
            "cron" => schedule.Cron ?? throw new ScheduleException("schedule.cron is missing"),
            _ => throw new ScheduleException($"schedule.kind \"{schedule.Kind}\" is not hourly, daily, weekly, monthly or cron"),
        };
        try
        {
            return CronExpression.Parse(text, CronFormat.Standard);
        }
        catch (CronFormatException e)
        {
            throw new ScheduleException($"schedule.cron \"{text}\" is not a five-field cron expression: {e.Message}", e);
        }
    }

    private static DateTimeOffset? NextMonthly(ScheduleDocument schedule, TimeZoneInfo zone, DateTimeOffset after)
    {
        var day = MonthlyDay(schedule);
        var (hour, minute) = Time(schedule.Time);
        var local = TimeZoneInfo.ConvertTime(after, zone);
        var month = new DateTime(local.Year, local.Month, 1, 0, 0, 0, DateTimeKind.Unspecified);
        for (var i = 0; i < 24; i++, month = month.AddMonths(1))
        {
            var dayInMonth = Math.Min(day, DateTime.DaysInMonth(month.Year, month.Month));
            // One day of one month as a cron expression, so the slot's daylight-saving handling is Cronos's.
            var expression = CronExpression.Parse(string.Create(CultureInfo.InvariantCulture, $"{minute} {hour} {dayInMonth} {month.Month} *"));
            var monthStart = new DateTimeOffset(month, zone.GetUtcOffset(month));
            var from = monthStart > after ? monthStart.AddMinutes(-1) : after;
            var next = expression.GetNextOccurrence(from.UtcDateTime, zone, inclusive: false);
            if (next is { } utc && utc > after.UtcDateTime && SameMonth(TimeZoneInfo.ConvertTimeFromUtc(utc, zone), month))
            {
                return new DateTimeOffset(utc, TimeSpan.Zero);
            }
        }

        return null;
    }

    private static bool SameMonth(DateTime local, DateTime month) => local.Year == month.Year && local.Month == month.Month;

    private static string Cron((int Hour, int Minute) time, string dayOfMonth, string dayOfWeek) =>
        string.Create(CultureInfo.InvariantCulture, $"{time.Minute} {time.Hour} {dayOfMonth} * {dayOfWeek}");

    private static int Minute(int? minute) => minute is >= 0 and <= 59
        ? minute.Value
        : throw new ScheduleException("schedule.minute must be 0-59");

    private static int MonthlyDay(ScheduleDocument schedule) => schedule.DayOfMonth is >= 1 and <= 31
        ? schedule.DayOfMonth.Value
        : throw new ScheduleException("schedule.dayOfMonth must be 1-31");

    private static int Weekday(string? weekday)
    {
        var index = Array.IndexOf(Weekdays, weekday?.ToLowerInvariant());
        return index >= 0 ? index : throw new ScheduleException($"schedule.weekday \"{weekday}\" is not a day of the week");
    }

    /// <summary>HH:MM, 00:00 to 23:59.</summary>
    public static (int Hour, int Minute) Time(string? text)
    {
        if (text is { Length: 5 } && text[2] == ':'
            && int.TryParse(text.AsSpan(0, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var hour) && hour < 24
            && int.TryParse(text.AsSpan(3, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var minute) && minute < 60)
        {
            return (hour, minute);
        }

        throw new ScheduleException($"time \"{text}\" is not HH:MM");
    }
}

/// <summary>A schedule, window or time zone that cannot be read.</summary>
public sealed class ScheduleException(string message, Exception? inner = null) : Exception(message, inner);
