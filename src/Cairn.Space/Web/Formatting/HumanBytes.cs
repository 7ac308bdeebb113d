using System.Globalization;

namespace Cairn.Space.Web.Formatting;

/// <summary>Sizes in decimal units (kB, MB, GB: powers of 1000), the units storage is billed in, with three significant digits.</summary>
public static class HumanBytes
{
    private static readonly string[] Units = ["kB", "MB", "GB", "TB", "PB", "EB"];

    public static string Format(long bytes)
    {
        if (bytes < 0)
        {
            return "-" + Format(bytes == long.MinValue ? long.MaxValue : -bytes);
        }

        if (bytes < 1000)
        {
            return bytes.ToString(CultureInfo.InvariantCulture) + " B";
        }

        double value = bytes;
        var unit = -1;
        while (value >= 999.5 && unit < Units.Length - 1)
        {
            value /= 1000;
            unit++;
        }

        return Number(value) + " " + Units[unit];
    }

    /// <summary>Three significant digits, trailing zeros dropped: 3.05, 12.3, 305.</summary>
    public static string Number(double value)
    {
        var format = Math.Abs(value) < 9.995 ? "0.##" : Math.Abs(value) < 99.95 ? "0.#" : "0";
        return value.ToString(format, CultureInfo.InvariantCulture);
    }
}
