using Cairn.Space.Web.Formatting;

namespace Cairn.Space.Web.Tests;

public sealed class HumanUnitsTests
{
    [Theory]
    [InlineData(0, "0 B")]
    [InlineData(999, "999 B")]
    [InlineData(1000, "1 kB")]
    [InlineData(1500, "1.5 kB")]
    [InlineData(3_051_234, "3.05 MB")]
    [InlineData(12_345_678, "12.3 MB")]
    [InlineData(999_999, "1 MB")]
    [InlineData(305_000_000, "305 MB")]
    [InlineData(10_000_000_000, "10 GB")]
    [InlineData(long.MaxValue, "9.22 EB")]
    public void Sizes_are_decimal_units_with_three_significant_digits(long bytes, string expected)
        => HumanBytes.Format(bytes).Should().Be(expected);

    [Theory]
    [InlineData(-30, "just now")]
    [InlineData(-90, "2 minutes ago")]
    [InlineData(-3 * 3600, "3 hours ago")]
    [InlineData(-3600, "1 hour ago")]
    [InlineData(-2 * 86400, "2 days ago")]
    [InlineData(5 * 86400, "in 5 days")]
    [InlineData(-400 * 86400, "1 year ago")]
    public void Relative_hints_use_the_largest_whole_unit(int seconds, string expected)
    {
        var now = new DateTimeOffset(2026, 3, 10, 12, 0, 0, TimeSpan.Zero);
        HumanTime.Relative(now.AddSeconds(seconds), now).Should().Be(expected);
    }

    [Fact]
    public void Server_times_are_readable_utc_and_iso_for_the_browser()
    {
        var at = new DateTimeOffset(2026, 3, 10, 9, 5, 0, TimeSpan.FromHours(1));
        HumanTime.Utc(at).Should().Be("10 Mar 2026, 08:05 UTC");
        HumanTime.Iso(at).Should().Be("2026-03-10T08:05:00Z");
    }

    [Fact]
    public void Domain_messages_become_sentences()
        => PlainWords.Sentence("a valid email address is required").Should().Be("A valid email address is required.");

    [Theory]
    [InlineData("/usage", "/usage")]
    [InlineData("/backups/1?x=y", "/backups/1?x=y")]
    [InlineData("//evil.example/", "/")]
    [InlineData("/\\evil.example", "/")]
    [InlineData("https://evil.example/", "/")]
    [InlineData(null, "/")]
    public void Return_urls_stay_on_this_site(string? returnUrl, string expected)
        => ConsoleAuthentication.LocalOrHome(returnUrl).Should().Be(expected);

    [Theory]
    [InlineData("0", "0.00 EUR")]
    [InlineData("6.9", "6.90 EUR")]
    [InlineData("1234.5", "1,234.50 EUR")]
    [InlineData("-1234567.891", "-1,234,567.89 EUR")]
    public void Amounts_have_thousands_separators_and_two_decimals(string amount, string expected)
        => Money.Format(decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture), "EUR").Should().Be(expected);

    [Fact]
    public void Quantities_keep_their_unit_and_drop_trailing_zeros()
    {
        Money.Quantity(1000m, "GB").Should().Be("1,000 GB");
        Money.Quantity(0.250m, "month").Should().Be("0.25 month");
    }

    [Fact]
    public void Snapshot_labels_show_the_second()
    {
        HumanTime.UtcSeconds(new DateTimeOffset(2026, 3, 10, 9, 5, 7, TimeSpan.FromHours(1))).Should().Be("10 Mar 2026, 08:05:07 UTC");
    }

    [Theory]
    [InlineData(CloudRestore.CloudInstanceState.RestoreError, "Needs the backup password")]
    [InlineData(CloudRestore.CloudInstanceState.Destroyed, "Returned")]
    [InlineData(CloudRestore.CloudInstanceState.Running, "Running")]
    public void States_are_plain_words_not_api_names(CloudRestore.CloudInstanceState state, string expected)
        => PlainWords.State(state).Should().Be(expected);
}
