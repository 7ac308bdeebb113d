using System.Globalization;

namespace Cairn.Cli;

/// <summary>A size flag's value as restic writes them: a whole number of bytes, or with k, m, g or t (powers of 1024).</summary>
internal static class SizeArgument
{
    /// <summary>The size in bytes; null when the flag is not given.</summary>
    public static long? Parse(string? text, string flag)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        var shift = char.ToLowerInvariant(text[^1]) switch
        {
            'k' => 10,
            'm' => 20,
            'g' => 30,
            't' => 40,
            _ => 0,
        };
        var digits = shift == 0 ? text : text[..^1];
        if (!long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number > long.MaxValue >> shift)
        {
            throw new UsageException($"invalid size \"{text}\" for {flag}: use a number with k, m, g or t, e.g. 500k or 2g");
        }

        return number << shift;
    }
}
