using Microsoft.Extensions.Configuration;

namespace Cairn.Space.Web.Tests.Polish;

/// <summary>One locale for the console's language and dates: English, <c>en</c> unless the operator names a variant.</summary>
public sealed class ConsoleSettingsTests
{
    private static ConsoleSettings From(string? locale)
        => ConsoleSettings.From(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Space:Console:Locale"] = locale }).Build());

    [Theory]
    [InlineData(null, "en")]
    [InlineData("", "en")]
    [InlineData("en-GB", "en-GB")]
    [InlineData(" en-us ", "en-US")]
    public void The_locale_is_english_and_en_by_default(string? configured, string expected)
        => From(configured).Locale.Should().Be(expected);

    [Theory]
    [InlineData("de-DE", "not English")]
    [InlineData("xx-nowhere", "not English")]
    [InlineData("en-GB-oxendict", "not English")]
    public void A_locale_the_console_cannot_speak_stops_the_start(string configured, string why)
    {
        var read = () => From(configured);
        read.Should().Throw<InvalidOperationException>().WithMessage($"*{why}*");
    }
}
