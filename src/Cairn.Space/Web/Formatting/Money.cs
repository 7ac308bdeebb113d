using System.Globalization;

namespace Cairn.Space.Web.Formatting;

/// <summary>Amounts as the price sheet bills them: thousands separated, two decimals and the currency code.</summary>
public static class Money
{
    public static string Format(decimal amount, string currency)
        => amount.ToString("#,##0.00", CultureInfo.InvariantCulture) + " " + currency;

    /// <summary>A quantity with its unit ("1,000 GB", "0.25 month"): thousands separated, no trailing zeros.</summary>
    public static string Quantity(decimal quantity, string unit)
        => quantity.ToString("#,##0.######", CultureInfo.InvariantCulture) + (string.IsNullOrEmpty(unit) ? "" : " " + unit);
}
