using System.Globalization;
using System.Text;

namespace Cairn.Maintenance.Forget;

/// <summary>
/// A calendar span for <c>--keep-within*</c>: years, months, days and hours, written like <c>1y2m3d4h</c>.
/// Parsed as restic 0.14 parses it: a later value for the same unit replaces an earlier one, and a negative
/// number is a valid component.
/// </summary>
public readonly record struct RetentionDuration(int Years, int Months, int Days, int Hours)
{
    /// <summary>Whether every field is zero (no limit set).</summary>
    public bool IsZero => Years == 0 && Months == 0 && Days == 0 && Hours == 0;

    /// <summary>Whether any field is negative (invalid).</summary>
    public bool IsNegative => Years < 0 || Months < 0 || Days < 0 || Hours < 0;

    /// <summary>Parses a duration such as <c>1y2m3d4h</c>; throws on invalid text.</summary>
    public static RetentionDuration Parse(string text) =>
        TryParse(text, out var value, out var error) ? value : throw new FormatException($"invalid duration \"{text}\": {error}");

    /// <summary>Parses a duration such as <c>1y2m3d4h</c>, answering an error text instead of throwing.</summary>
    public static bool TryParse(string text, out RetentionDuration value, out string error)
    {
        ArgumentNullException.ThrowIfNull(text);
        value = default;
        error = "";
        var s = text.Trim();
        int years = 0, months = 0, days = 0, hours = 0;
        var i = 0;
        while (i < s.Length)
        {
            var start = i;
            if (s[i] == '-')
            {
                i++;
            }

            var digitsStart = i;
            while (i < s.Length && char.IsAsciiDigit(s[i]))
            {
                i++;
            }

            if (i == digitsStart)
            {
                error = "no number found";
                return false;
            }

            if (!int.TryParse(s.AsSpan(start, i - start), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
            {
                error = $"number {s[start..i]} is out of range";
                return false;
            }

            if (i == s.Length)
            {
                error = $"no unit found after number {number}";
                return false;
            }

            switch (s[i])
            {
                case 'y': years = number; break;
                case 'm': months = number; break;
                case 'd': days = number; break;
                case 'h': hours = number; break;
                default:
                    error = $"invalid unit '{s[i]}' found after number {number}";
                    return false;
            }

            i++;
        }

        value = new RetentionDuration(years, months, days, hours);
        return true;
    }

    /// <summary>
    /// The instant <paramref name="unixSeconds"/> (seen at <paramref name="offsetSeconds"/> from UTC) moved back by this
    /// span, in Unix seconds. Years, months and days move the wall-clock date the way Go's <c>AddDate</c> does, so
    /// March 31 minus one month is March 3 (February 31 normalized), not February 28; hours are exact.
    /// </summary>
    public long SubtractFrom(long unixSeconds, int offsetSeconds)
    {
        var localSeconds = unixSeconds + offsetSeconds;
        var dayNumber = Math.DivRem(localSeconds, 86400L, out var secondOfDay);
        if (secondOfDay < 0)
        {
            secondOfDay += 86400;
            dayNumber--;
        }

        var date = DateOnly.FromDayNumber((int)(dayNumber + DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber));
        var totalMonths = ((long)date.Year * 12) + (date.Month - 1) - ((long)Years * 12) - Months;
        var year = (int)Math.Floor(totalMonths / 12.0);
        var month = (int)(totalMonths - ((long)year * 12)) + 1;
        var first = new DateOnly(Math.Clamp(year, 1, 9999), month, 1);
        var shiftedDay = (long)first.DayNumber + date.Day - 1 - Days;
        var shiftedLocal = ((shiftedDay - DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber) * 86400L) + secondOfDay;
        return shiftedLocal - offsetSeconds - ((long)Hours * 3600);
    }

    /// <summary>The span as restic prints it: the non-zero units in the order y, m, d, h.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        Append(text, Years, 'y');
        Append(text, Months, 'm');
        Append(text, Days, 'd');
        Append(text, Hours, 'h');
        return text.ToString();
    }

    private static void Append(StringBuilder text, int value, char unit)
    {
        if (value != 0)
        {
            text.Append(value.ToString(CultureInfo.InvariantCulture)).Append(unit);
        }
    }
}
