using System.Globalization;

namespace Cairn.Space.Web;

/// <summary>
/// The console's locale (<c>Space:Console:Locale</c>, default <c>en</c>): the one setting for its language and for
/// how dates and numbers are written. It goes on <c>&lt;html lang&gt;</c>, and console.js formats times with it, never
/// with the browser's language. The console is written in English, so the locale is English (<c>en</c>,
/// <c>en-GB</c>, <c>en-US</c>, …): text and dates always read in one language.
/// </summary>
public sealed record ConsoleSettings
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

        locale = locale.Trim();
        CultureInfo culture;
        try
        {
            culture = CultureInfo.GetCultureInfo(locale, predefinedOnly: true);
        }
        catch (CultureNotFoundException)
        {
            throw new InvalidOperationException($"{SectionName}:Locale '{locale}' is not a known locale (for example en, en-GB or en-US)");
        }

        if (culture.TwoLetterISOLanguageName != "en")
        {
            throw new InvalidOperationException($"{SectionName}:Locale '{locale}' is not English; the console is written in English, so its locale is en or en-XX");
        }

        return new ConsoleSettings { Locale = culture.Name };
    }
}
