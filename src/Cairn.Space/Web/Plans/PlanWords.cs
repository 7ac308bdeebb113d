using System.Globalization;
using Cairn.Space.Plans;

namespace Cairn.Space.Web.Plans;

/// <summary>A plan's schedule, state and runs in words ("Daily at 02:30, Europe/Berlin"), never the protocol's names.</summary>
public static class PlanWords
{
    public static string Schedule(PlanSchedule schedule, string timeZone)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        var when = schedule.Kind switch
        {
            "hourly" => $"Hourly at minute {schedule.Minute ?? 0}",
            "daily" => $"Daily at {schedule.Time}",
            "weekly" => $"Weekly on {Capital(schedule.Weekday ?? "")} at {schedule.Time}",
            "monthly" => $"Monthly on day {schedule.DayOfMonth} at {schedule.Time}",
            _ => $"By cron \"{schedule.Cron}\"",
        };
        return $"{when}, {timeZone}";
    }

    public static string State(bool paused) => paused ? "Paused" : "Active";

    public static string Phase(string phase) => phase switch
    {
        "pending" => "Waiting to start",
        "running" => "Running",
        "completed" => "Completed",
        "failed" => "Failed",
        "canceled" => "Canceled",
        "interrupted" => "Interrupted",
        _ => Capital(phase),
    };

    public static string Kind(string kind) => kind switch
    {
        "backup" => "Backup",
        "forget" => "Forget (retention)",
        "prune" => "Prune",
        "restore" => "Restore on the instance",
        _ => Capital(kind),
    };

    /// <summary>Why a run started; a manual restore is the owner's restore, not a "Back up now".</summary>
    public static string Trigger(string kind, string trigger) => (kind, trigger) switch
    {
        (_, "schedule") => "On schedule",
        ("restore", "manual") => "Asked from the console",
        (_, "manual") => "Backed up now",
        (_, "catchUp") => "Catch-up after a missed slot",
        (_, "resume") => "Resumed after an interruption",
        _ => Capital(trigger),
    };

    public static string Duration(TimeSpan span)
    {
        if (span < TimeSpan.Zero)
        {
            span = TimeSpan.Zero;
        }

        return span.TotalHours >= 1
            ? string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalHours} h {span.Minutes} min")
            : span.TotalMinutes >= 1
                ? string.Create(CultureInfo.InvariantCulture, $"{span.Minutes} min {span.Seconds} s")
                : string.Create(CultureInfo.InvariantCulture, $"{span.Seconds} s");
    }

    public static string Count(long value) => value.ToString("#,0", CultureInfo.InvariantCulture);

    private static string Capital(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];
}
