using System.Globalization;

namespace Cairn.Space.Alerts;

/// <summary>A span in the largest unit it fills in whole: "1 day", "36 hours", "90 minutes".</summary>
public static class DurationWords
{
    public static string Of(TimeSpan span)
    {
        var (amount, unit) = span switch
        {
            _ when span.Ticks % TimeSpan.TicksPerDay == 0 && span >= TimeSpan.FromDays(1) => (span.TotalDays, "day"),
            _ when span.Ticks % TimeSpan.TicksPerHour == 0 && span >= TimeSpan.FromHours(1) => (span.TotalHours, "hour"),
            _ => (Math.Round(span.TotalMinutes), "minute"),
        };
        return amount.ToString(CultureInfo.InvariantCulture) + " " + unit + (amount == 1 ? "" : "s");
    }
}
