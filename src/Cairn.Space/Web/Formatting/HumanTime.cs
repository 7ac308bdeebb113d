using System.Globalization;

namespace Cairn.Space.Web.Formatting;

/// <summary>
/// Times as the server writes them: UTC, readable without script. The browser's script rewrites them in the
/// viewer's time zone and refreshes the relative hint (console.js).
/// </summary>
public static class HumanTime
{
    public static string Utc(DateTimeOffset at)
        => at.UtcDateTime.ToString("d MMM yyyy, HH:mm 'UTC'", CultureInfo.InvariantCulture);

    /// <summary>With seconds, so two snapshots of one minute are told apart.</summary>
    public static string UtcSeconds(DateTimeOffset at)
        => at.UtcDateTime.ToString("d MMM yyyy, HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    /// <summary>The value of a <c>&lt;time datetime&gt;</c> attribute: ISO 8601 in UTC.</summary>
    public static string Iso(DateTimeOffset at)
        => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>"3 hours ago", "in 2 days", "just now": the largest whole unit, as Intl.RelativeTimeFormat words it.</summary>
    public static string Relative(DateTimeOffset at, DateTimeOffset now)
    {
        var seconds = (at - now).TotalSeconds;
        var size = Math.Abs(seconds);
        if (size < 45)
        {
            return "just now";
        }

        (double amount, string unit) = size switch
        {
            < 3600 => (seconds / 60, "minute"),
            < 86400 => (seconds / 3600, "hour"),
            < 86400 * 30 => (seconds / 86400, "day"),
            < 86400 * 365 => (seconds / (86400 * 30.44), "month"),
            _ => (seconds / (86400 * 365.25), "year"),
        };
        var whole = (long)Math.Round(Math.Abs(amount), MidpointRounding.AwayFromZero);
        whole = Math.Max(1, whole);
        var words = whole.ToString(CultureInfo.InvariantCulture) + " " + unit + (whole == 1 ? "" : "s");
        return seconds < 0 ? words + " ago" : "in " + words;
    }
}
