using System.Globalization;

namespace Cairn.Space.Web.Formatting;

/// <summary>Amounts as the price sheet bills them: two decimals and the currency code.</summary>
public static class Money
{
    public static string Format(decimal amount, string currency)
        => amount.ToString("0.00", CultureInfo.InvariantCulture) + " " + currency;
}
