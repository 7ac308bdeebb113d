using System.Globalization;
using Cairn.Platform.Internal;

namespace Cairn.Platform;

/// <summary>
/// Times as restic writes them in tree nodes: Go's RFC3339Nano layout ("2006-01-02T15:04:05.999999999Z07:00")
/// in the writer's local zone, fraction without trailing zeros and left out when zero, "Z" for a zero offset.
/// </summary>
public static class GoTime
{
    /// <summary>0000-01-01T00:00:00Z; Go refuses to write JSON times outside years 0 to 9999.</summary>
    internal const long MinSeconds = -62_167_219_200;

    /// <summary>9999-12-31T23:59:59Z.</summary>
    internal const long MaxSeconds = 253_402_300_799;

    private const int SecondsPerDay = 86_400;
    private const int MaxFractionDigits = 9;

    /// <summary>Formats in the local time zone, as restic does.</summary>
    public static string Format(Timestamp time) => Format(time, TimeZoneInfo.Local);

    /// <summary>Formats a time as Go's <c>time.Time.String</c> in the given zone, as restic prints it.</summary>
    public static string Format(Timestamp time, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        return Format(time, OffsetAt(time, zone));
    }

    /// <summary>Formats with a fixed UTC offset (whole seconds, less than a day either way).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The local year would fall outside 0 to 9999, or the offset is not valid.</exception>
    public static string Format(Timestamp time, TimeSpan offset)
    {
        if (offset.Ticks % TimeSpan.TicksPerSecond != 0 || offset.Duration() >= TimeSpan.FromDays(1))
        {
            throw new ArgumentOutOfRangeException(nameof(offset), offset, "must be whole seconds and less than a day");
        }
        long offsetSeconds = offset.Ticks / TimeSpan.TicksPerSecond;
        long local = time.Seconds + offsetSeconds;
        long days = Math.DivRem(local, SecondsPerDay, out long secondOfDay);
        if (secondOfDay < 0)
        {
            days--;
            secondOfDay += SecondsPerDay;
        }
        var (year, month, day) = CivilDate.CivilFromDays(days);
        if (year is < 0 or > 9999)
        {
            throw new ArgumentOutOfRangeException(nameof(time), time.Seconds, "year outside of range [0,9999]");
        }

        Span<char> text = stackalloc char[40];
        int n = 0;
        n += Digits(text[n..], year, 4);
        text[n++] = '-';
        n += Digits(text[n..], month, 2);
        text[n++] = '-';
        n += Digits(text[n..], day, 2);
        text[n++] = 'T';
        n += Digits(text[n..], secondOfDay / 3600, 2);
        text[n++] = ':';
        n += Digits(text[n..], secondOfDay / 60 % 60, 2);
        text[n++] = ':';
        n += Digits(text[n..], secondOfDay % 60, 2);
        if (time.Nanoseconds != 0)
        {
            text[n++] = '.';
            int digits = Digits(text[n..], time.Nanoseconds, MaxFractionDigits);
            while (text[n + digits - 1] == '0')
            {
                digits--;
            }
            n += digits;
        }
        // Go prints the offset in whole minutes, truncated toward zero, and "Z" only for an offset of exactly zero.
        long offsetMinutes = offsetSeconds / 60;
        if (offsetSeconds == 0)
        {
            text[n++] = 'Z';
        }
        else
        {
            text[n++] = offsetMinutes < 0 ? '-' : '+';
            offsetMinutes = Math.Abs(offsetMinutes);
            n += Digits(text[n..], offsetMinutes / 60, 2);
            text[n++] = ':';
            n += Digits(text[n..], offsetMinutes % 60, 2);
        }
        return new string(text[..n]);
    }

    /// <summary>The zone's UTC offset at that instant (clamped to the years .NET's time zone data covers).</summary>
    public static TimeSpan OffsetAt(Timestamp time, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        long seconds = Math.Clamp(
            time.Seconds,
            (DateTime.MinValue.Ticks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerSecond + SecondsPerDay,
            (DateTime.MaxValue.Ticks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerSecond - SecondsPerDay);
        var utc = new DateTime(DateTime.UnixEpoch.Ticks + seconds * TimeSpan.TicksPerSecond, DateTimeKind.Utc);
        return zone.GetUtcOffset(utc);
    }

    /// <exception cref="FormatException">The text is not an RFC 3339 date-time.</exception>
    public static Timestamp Parse(string text) => Parse(text, out _);

    /// <summary>Parses an RFC 3339 date-time and also returns the offset it was written with.</summary>
    /// <exception cref="FormatException">The text is not an RFC 3339 date-time.</exception>
    public static Timestamp Parse(string text, out TimeSpan offset)
    {
        ArgumentNullException.ThrowIfNull(text);
        return TryParse(text, out var time, out offset)
            ? time
            : throw new FormatException($"not an RFC 3339 time: \"{text}\"");
    }

    /// <summary>
    /// Parses "YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)". Fraction digits beyond nine are cut off
    /// (they are below a nanosecond); nothing is rounded.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<char> text, out Timestamp time, out TimeSpan offset)
    {
        time = default;
        offset = default;
        if (text.Length < 20
            || !Number(text, 0, 4, out int year) || text[4] != '-'
            || !Number(text, 5, 2, out int month) || text[7] != '-'
            || !Number(text, 8, 2, out int day) || text[10] is not ('T' or 't')
            || !Number(text, 11, 2, out int hour) || text[13] != ':'
            || !Number(text, 14, 2, out int minute) || text[16] != ':'
            || !Number(text, 17, 2, out int second))
        {
            return false;
        }
        if (month is < 1 or > 12 || day < 1 || day > CivilDate.DaysInMonth(year, month)
            || hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }

        int i = 19;
        uint nanoseconds = 0;
        if (text[i] == '.')
        {
            int start = ++i;
            while (i < text.Length && char.IsAsciiDigit(text[i]))
            {
                if (i - start < MaxFractionDigits)
                {
                    nanoseconds = nanoseconds * 10 + (uint)(text[i] - '0');
                }
                i++;
            }
            int digits = i - start;
            if (digits == 0)
            {
                return false;
            }
            for (int d = digits; d < MaxFractionDigits; d++)
            {
                nanoseconds *= 10;
            }
        }

        long offsetSeconds;
        var zone = text[i..];
        if (zone is "Z" or "z")
        {
            offsetSeconds = 0;
        }
        else if (zone.Length == 6 && zone[0] is '+' or '-' && zone[3] == ':'
            && Number(zone, 1, 2, out int offsetHours) && Number(zone, 4, 2, out int offsetMinutes)
            && offsetHours < 24 && offsetMinutes < 60)
        {
            offsetSeconds = (offsetHours * 60 + offsetMinutes) * 60 * (zone[0] == '-' ? -1 : 1);
        }
        else
        {
            return false;
        }

        long local = CivilDate.DaysFromCivil(year, month, day) * SecondsPerDay + hour * 3600 + minute * 60 + second;
        time = new Timestamp(local - offsetSeconds, nanoseconds);
        offset = TimeSpan.FromSeconds(offsetSeconds);
        return true;
    }

    private static bool Number(ReadOnlySpan<char> text, int start, int length, out int value) =>
        int.TryParse(text.Slice(start, length), NumberStyles.None, CultureInfo.InvariantCulture, out value);

    private static int Digits(Span<char> destination, long value, int width)
    {
        for (int i = width - 1; i >= 0; i--)
        {
            destination[i] = (char)('0' + value % 10);
            value /= 10;
        }
        return width;
    }
}
