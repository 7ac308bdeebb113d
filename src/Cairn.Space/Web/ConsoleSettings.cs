namespace Cairn.Space.Web;

/// <summary>
/// The console's locale (<c>Space:Console:Locale</c>, default <c>en</c>): the one setting for its language and for
/// how dates and numbers are written. It goes on <c>&lt;html lang&gt;</c>, and console.js formats times with it, never
/// with the browser's language. The console is written in English, so the locale is English (<c>en</c>,
/// <c>en-GB</c>, <c>en-US</c>, …): text and dates always read in one language.
/// </summary>
public sealed partial record ConsoleSettings
{
    public const string SectionName = "Space:Console";
    public const string DefaultLocale = "en";

    public string Locale { get; init; } = DefaultLocale;

    public static ConsoleSettings From(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var locale = configuration.GetSection(SectionName)["Locale"];
        if (string.IsNullOrWhiteSpace(locale))
        {
            return new ConsoleSettings();
        }

        // Space runs with invariant globalization, so the tag is checked by its form: "en", or "en-" and a region.
        var match = EnglishTag().Match(locale.Trim());
        if (!match.Success)
        {
            throw new InvalidOperationException(
                $"{SectionName}:Locale '{locale.Trim()}' is not English; the console is written in English, so its locale is en or en-XX (en-GB, en-US, …)");
        }

        var region = match.Groups["region"].Value;
        return new ConsoleSettings { Locale = region.Length == 0 ? DefaultLocale : "en-" + region.ToUpperInvariant() };
    }

    [System.Text.RegularExpressions.GeneratedRegex("^en(?:[-_](?<region>[A-Za-z]{2}|[0-9]{3}))?$", System.Text.RegularExpressions.RegexOptions.IgnoreCase)]
    private static partial System.Text.RegularExpressions.Regex EnglishTag();
}
