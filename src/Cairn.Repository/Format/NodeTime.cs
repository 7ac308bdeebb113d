using System.Globalization;

namespace Cairn.Repository.Format;

/// <summary>
/// An instant with nanoseconds and the UTC offset it was written with, formatted like Go's RFC3339Nano
/// ("2026-11-27T02:54:43.01863772Z", "+01:00" away from UTC), which restic uses in trees, snapshots and locks.
/// </summary>
public readonly record struct NodeTime(long UnixSeconds, uint Nanoseconds, int OffsetSeconds)
{
    /// <summary>A time from Unix seconds and nanoseconds, with the local zone's offset at that instant (as restic records file times).</summary>
    public static NodeTime FromUnix(long seconds, uint nanoseconds)
    {
        var instant = DateTimeOffset.FromUnixTimeSeconds(Math.Clamp(seconds, -62135596800L, 253402300799L));
        var offset = TimeZoneInfo.Local.GetUtcOffset(instant);
        return new NodeTime(seconds, nanoseconds, (int)offset.TotalSeconds);
    }

    /// <summary>A time from a <see cref="DateTimeOffset"/>, keeping its offset.</summary>
    public static NodeTime FromDateTimeOffset(DateTimeOffset value)
    {
        var ticks = value.UtcTicks - DateTime.UnixEpoch.Ticks;
        var seconds = Math.DivRem(ticks, TimeSpan.TicksPerSecond, out var rem);
        if (rem < 0)
        {
            seconds--;
            rem += TimeSpan.TicksPerSecond;
        }

        return new NodeTime(seconds, (uint)(rem * 100), (int)value.Offset.TotalSeconds);
    }

    /// <summary>Loses sub-100ns precision, which DateTimeOffset cannot hold.</summary>
    public DateTimeOffset ToDateTimeOffset() =>
        new DateTimeOffset(DateTime.UnixEpoch.Ticks + (UnixSeconds * TimeSpan.TicksPerSecond) + (Nanoseconds / 100), TimeSpan.Zero)
            .ToOffset(TimeSpan.FromSeconds(OffsetSeconds - (OffsetSeconds % 60)));

    /// <summary>The longest form: "-yyyy-MM-ddTHH:mm:ss.fffffffff+hh:mm".</summary>
    public const int MaxUtf8Length = 36;

    /// <summary>Writes the same text as <see cref="ToString"/> as UTF-8, without allocating.</summary>
    public int FormatUtf8(Span<byte> destination)
    {
        var local = DateTime.UnixEpoch.AddSeconds(UnixSeconds + OffsetSeconds);
        var i = 0;
        Digits(destination, ref i, local.Year, 4);
        destination[i++] = (byte)'-';
        Digits(destination, ref i, local.Month, 2);
        destination[i++] = (byte)'-';
        Digits(destination, ref i, local.Day, 2);
        destination[i++] = (byte)'T';
        Digits(destination, ref i, local.Hour, 2);
        destination[i++] = (byte)':';
        Digits(destination, ref i, local.Minute, 2);
        destination[i++] = (byte)':';
        Digits(destination, ref i, local.Second, 2);
        if (Nanoseconds != 0)
        {
            destination[i++] = (byte)'.';
            var fraction = Nanoseconds;
            var digits = 9;
            while (fraction % 10 == 0)
            {
                fraction /= 10;
                digits--;
            }

            Digits(destination, ref i, (int)fraction, digits);
        }

        if (OffsetSeconds == 0)
        {
            destination[i++] = (byte)'Z';
            return i;
        }

        var abs = Math.Abs(OffsetSeconds);
        destination[i++] = OffsetSeconds < 0 ? (byte)'-' : (byte)'+';
        Digits(destination, ref i, abs / 3600, 2);
        destination[i++] = (byte)':';
        Digits(destination, ref i, abs / 60 % 60, 2);
        return i;
    }

    private static void Digits(Span<byte> destination, ref int at, int value, int width)
    {
        for (var k = width - 1; k >= 0; k--)
        {
            destination[at + k] = (byte)('0' + (value % 10));
            value /= 10;
        }

        at += width;
    }

    /// <summary>The time in RFC 3339 with nanoseconds, as restic writes it.</summary>
    public override string ToString()
    {
        var local = DateTime.UnixEpoch.AddSeconds(UnixSeconds + OffsetSeconds);
        var text = local.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);
        if (Nanoseconds != 0)
        {
            text += "." + Nanoseconds.ToString("D9", CultureInfo.InvariantCulture).TrimEnd('0');
        }

        if (OffsetSeconds == 0)
        {
            return text + "Z";
        }

        var sign = OffsetSeconds < 0 ? '-' : '+';
        var abs = Math.Abs(OffsetSeconds);
        return text + string.Create(CultureInfo.InvariantCulture, $"{sign}{abs / 3600:D2}:{abs / 60 % 60:D2}");
    }

    /// <summary>Parses an RFC 3339 time; throws on invalid text.</summary>
    public static NodeTime Parse(string text) =>
        TryParse(text, out var t) ? t : throw new FormatException($"'{text}' is not an RFC 3339 time");

    /// <summary>Parses an RFC 3339 time.</summary>
    public static bool TryParse(string text, out NodeTime value) => TryParse(text.AsSpan(), out value);

    /// <summary>Parses an RFC 3339 time without allocating.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out NodeTime value)
    {
        value = default;
        if (text.Length < 20 || text[4] != '-' || text[7] != '-' || (text[10] != 'T' && text[10] != 't') || text[13] != ':' || text[16] != ':')
        {
            return false;
        }

        // Fixed positions, so the fields are read digit by digit (trees hold three times per entry).
        if (!TryDigits(text[..4], out var year) || !TryDigits(text.Slice(5, 2), out var month) || !TryDigits(text.Slice(8, 2), out var day)
            || !TryDigits(text.Slice(11, 2), out var hour) || !TryDigits(text.Slice(14, 2), out var minute) || !TryDigits(text.Slice(17, 2), out var second)
            || year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }

        var local = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Utc);

        var i = 19;
        uint nanos = 0;
        if (i < text.Length && text[i] == '.')
        {
            i++;
            var digits = 0;
            while (i < text.Length && char.IsAsciiDigit(text[i]))
            {
                if (digits < 9)
                {
                    nanos = (nanos * 10) + (uint)(text[i] - '0');
                }

                digits++;
                i++;
            }

            for (var d = digits; d < 9; d++)
            {
                nanos *= 10;
            }
        }

        int offset;
        if (i < text.Length && (text[i] == 'Z' || text[i] == 'z') && i + 1 == text.Length)
        {
            offset = 0;
        }
        else if (i + 6 == text.Length && (text[i] == '+' || text[i] == '-') && text[i + 3] == ':'
                 && TryDigits(text.Slice(i + 1, 2), out var hh)
                 && TryDigits(text.Slice(i + 4, 2), out var mm))
        {
            offset = ((hh * 3600) + (mm * 60)) * (text[i] == '-' ? -1 : 1);
        }
        else
        {
            return false;
        }

        var localSeconds = (local - DateTime.UnixEpoch).Ticks / TimeSpan.TicksPerSecond;
        value = new NodeTime(localSeconds - offset, nanos, offset);
        return true;
    }

    private static bool TryDigits(ReadOnlySpan<char> text, out int value)
    {
        value = 0;
        foreach (var c in text)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }

            value = (value * 10) + (c - '0');
        }

        return true;
    }

    /// <summary>Same instant (offsets may differ).</summary>
    public bool SameInstant(NodeTime other) => UnixSeconds == other.UnixSeconds && Nanoseconds == other.Nanoseconds;
}
