using Cairn.Space.Plans;
using Cairn.Space.Web.Plans;

namespace Cairn.Space.Alerts;

/// <summary>
/// How often a plan is expected to make a snapshot: the gap between its next two slots after now, by the agent's own
/// schedule rule (<see cref="NextRun"/>). For hourly, daily and weekly plans that is an hour, a day and a week (a
/// daylight saving day gives 23 or 25 hours); for a monthly plan the coming month's length; for a cron expression
/// whatever its next two slots are apart. Null for a schedule that has no next slots.
/// </summary>
public static class ExpectedInterval
{
    public static TimeSpan? Of(PlanSchedule schedule, string timeZone, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        var first = NextRun.After(schedule, timeZone, now);
        var second = first is { } f ? NextRun.After(schedule, timeZone, f) : null;
        return first is { } a && second is { } b && b > a ? b - a : null;
    }
}
