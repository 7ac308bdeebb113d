using Cairn.Space.Backups.PasswordCheck;
using Microsoft.Extensions.Configuration;

namespace Cairn.Space.Tests.Cloud;

/// <summary>The bounds on password checks: documented defaults, and settings that would unbound them refused at start.</summary>
public sealed class PasswordCheckSettingsTests
{
    private static PasswordCheckSettings From(params (string Key, string Value)[] values)
        => PasswordCheckSettings.From(new ConfigurationBuilder()
            .AddInMemoryCollection(values.ToDictionary(v => "Space:PasswordCheck:" + v.Key, v => (string?)v.Value)).Build());

    [Fact]
    public void The_defaults_are_the_documented_ones()
    {
        var settings = From();
        (settings.AtOnce, settings.Queue, settings.PerAccount, settings.Window, settings.MaxKeyFiles).Should().Be((2, 16, 10, TimeSpan.FromMinutes(1), 10));
        settings.MaxKeyMemoryBytes.Should().Be(256L << 20);
        settings.MaxWorkBytes.Should().Be(1L << 30);
    }

    [Theory]
    [InlineData("AtOnce", "0")]
    [InlineData("PerAccount", "0")]
    [InlineData("MaxKeyMemoryBytes", "2147483648")]
    [InlineData("MaxWorkBytes", "1024")]
    public void Settings_that_would_unbound_the_check_are_refused(string key, string value)
    {
        var read = () => From((key, value));
        read.Should().Throw<InvalidOperationException>().WithMessage("Space:PasswordCheck needs*");
    }
}
