namespace Cairn.Platform.Internal;

/// <summary>
/// Proleptic Gregorian calendar arithmetic on days since 1970-01-01, for any year
/// (DateTime stops at year 1, RFC 3339 and Go go down to year 0).
/// </summary>
internal static class CivilDate
{
    private const long DaysPer400Years = 146_097;
    private const long DaysFromYear0March1ToEpoch = 719_468;

    public static long DaysFromCivil(long year, int month, int day)
    {
        // Count years from March so the leap day is the last day of the counted year.
        long y = month <= 2 ? year - 1 : year;
        long era = (y >= 0 ? y : y - 399) / 400;
        long yearOfEra = y - era * 400;
        int monthFromMarch = month > 2 ? month - 3 : month + 9;
        long dayOfYear = (153 * monthFromMarch + 2) / 5 + day - 1;
        long dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
        return era * DaysPer400Years + dayOfEra - DaysFromYear0March1ToEpoch;
    }

    public static (long Year, int Month, int Day) CivilFromDays(long days)
    {
        long z = days + DaysFromYear0March1ToEpoch;
        long era = (z >= 0 ? z : z - (DaysPer400Years - 1)) / DaysPer400Years;
        long dayOfEra = z - era * DaysPer400Years;
        long yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / (DaysPer400Years - 1)) / 365;
        long dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
        long monthFromMarch = (5 * dayOfYear + 2) / 153;
        int day = (int)(dayOfYear - (153 * monthFromMarch + 2) / 5 + 1);
        int month = (int)(monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9);
        long year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
        return (year, month, day);
    }

    public static int DaysInMonth(long year, int month) => month switch
    {
        2 => IsLeapYear(year) ? 29 : 28,
        4 or 6 or 9 or 11 => 30,
        _ => 31,
    };

    public static bool IsLeapYear(long year) => year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
}
