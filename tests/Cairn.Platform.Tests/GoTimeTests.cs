namespace Cairn.Platform.Tests;

public sealed class GoTimeTests
{
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
    private static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");

    private static Timestamp At(int year, int month, int day, int hour, int minute, int second, uint nanoseconds) =>
        new(new DateTimeOffset(year, month, day, hour, minute, second, TimeSpan.Zero).ToUnixTimeSeconds(), nanoseconds);

    [Fact]
    public void Formats_like_restic_in_UTC()
    {
        var time = At(2026, 11, 27, 2, 54, 43, 18_637_720);
        GoTime.Format(time, TimeZoneInfo.Utc).Should().Be("2026-11-27T02:54:43.01863772Z");
        GoTime.Format(time with { Nanoseconds = 0 }, TimeZoneInfo.Utc).Should().Be("2026-11-27T02:54:43Z");
        GoTime.Format(time with { Nanoseconds = 500_000_000 }, TimeZoneInfo.Utc).Should().Be("2026-11-27T02:54:43.5Z");
        GoTime.Format(time with { Nanoseconds = 1 }, TimeZoneInfo.Utc).Should().Be("2026-11-27T02:54:43.000000001Z");
    }

    [Fact]
    public void Formats_the_zones_offset_at_that_instant()
    {
        GoTime.Format(At(2001, 2, 3, 4, 5, 6, 123_456_789), Berlin).Should().Be("2001-02-03T05:05:06.123456789+01:00");
        GoTime.Format(At(2021, 7, 4, 5, 6, 7, 0), Berlin).Should().Be("2021-07-04T07:06:07+02:00");
        GoTime.Format(At(2021, 1, 1, 3, 0, 0, 100), NewYork).Should().Be("2020-12-31T22:00:00.0000001-05:00");
        GoTime.Format(At(2021, 1, 1, 0, 0, 0, 0), TimeSpan.FromMinutes(330)).Should().Be("2021-01-01T05:30:00+05:30");
        GoTime.Format(At(2021, 1, 1, 0, 0, 0, 0), TimeSpan.FromMinutes(-570)).Should().Be("2020-12-31T14:30:00-09:30");
        GoTime.Format(At(2021, 1, 1, 0, 0, 0, 0), TimeZoneInfo.FindSystemTimeZoneById("Europe/London"))
            .Should().Be("2021-01-01T00:00:00Z", "Go writes Z for any zone at offset zero");
    }

    [Fact]
    public void Format_without_a_zone_uses_the_local_one()
    {
        var time = At(2021, 7, 4, 5, 6, 7, 89);
        GoTime.Format(time).Should().Be(GoTime.Format(time, TimeZoneInfo.Local));
    }

    [Fact]
    public void Format_agrees_with_DateTimeOffset_on_the_calendar()
    {
        var random = new Random(11);
        for (int i = 0; i < 20_000; i++)
        {
            long seconds = random.NextInt64(-62_135_596_800 + 86_400, 253_402_300_799 - 86_400);
            var offset = TimeSpan.FromMinutes(random.Next(-14 * 60, 14 * 60 + 1));
            var time = new Timestamp(seconds, (uint)random.Next(1_000_000_000));
            var expected = DateTimeOffset.FromUnixTimeSeconds(seconds).ToOffset(offset).ToString("yyyy-MM-dd'T'HH:mm:ss", null);
            var text = GoTime.Format(time, offset);
            text.Should().StartWith(expected);
            GoTime.Parse(text, out var parsedOffset).Should().Be(time);
            parsedOffset.Should().Be(offset);
        }
    }

    [Fact]
    public void Parse_reads_back_every_nanosecond()
    {
        GoTime.Parse("2026-11-27T02:54:43.01863772Z").Should().Be(At(2026, 11, 27, 2, 54, 43, 18_637_720));
        GoTime.Parse("2001-02-03T05:05:06.123456789+01:00").Should().Be(At(2001, 2, 3, 4, 5, 6, 123_456_789));
        GoTime.Parse("2020-12-31T22:00:00.0000001-05:00").Should().Be(At(2021, 1, 1, 3, 0, 0, 100));
        GoTime.Parse("2021-01-01t00:00:00.5z").Should().Be(At(2021, 1, 1, 0, 0, 0, 500_000_000));
        GoTime.Parse("2021-01-01T00:00:00.1234567891234Z").Should().Be(At(2021, 1, 1, 0, 0, 0, 123_456_789), "digits below a nanosecond are cut");
        GoTime.Parse("2024-02-29T23:59:59Z").Should().Be(At(2024, 2, 29, 23, 59, 59, 0));
        GoTime.Parse("1969-12-31T23:59:59.999999999Z").Should().Be(new Timestamp(-1, 999_999_999));
        GoTime.Parse("0001-01-01T00:00:00Z").Should().Be(new Timestamp(-62_135_596_800, 0), "Go's zero time");
        GoTime.Parse("0000-01-01T00:00:00Z").Should().Be(new Timestamp(-62_167_219_200, 0));
    }

    [Fact]
    public void Parse_returns_the_written_offset()
    {
        GoTime.Parse("2021-07-04T07:06:07+02:00", out var offset);
        offset.Should().Be(TimeSpan.FromHours(2));
        GoTime.Parse("2021-07-04T07:06:07-09:30", out offset);
        offset.Should().Be(TimeSpan.FromMinutes(-570));
    }

    [Theory]
    [InlineData("")]
    [InlineData("2021-07-04")]
    [InlineData("2021-07-04T07:06:07")]
    [InlineData("2021-07-04 07:06:07Z")]
    [InlineData("2021-02-29T00:00:00Z")]
    [InlineData("2021-13-01T00:00:00Z")]
    [InlineData("2021-00-01T00:00:00Z")]
    [InlineData("2021-04-31T00:00:00Z")]
    [InlineData("2021-07-04T24:00:00Z")]
    [InlineData("2021-07-04T07:60:00Z")]
    [InlineData("2021-07-04T07:06:60Z")]
    [InlineData("2021-07-04T07:06:07.Z")]
    [InlineData("2021-07-04T07:06:07+0200")]
    [InlineData("2021-07-04T07:06:07+24:00")]
    [InlineData("2021-07-04T07:06:07+02:60")]
    [InlineData("2021-07-04T07:06:07Z ")]
    [InlineData("+021-07-04T07:06:07Z")]
    [InlineData("2021-07-04T07:06:07.12a Z")]
    public void Parse_refuses_what_is_not_RFC_3339(string text)
    {
        GoTime.TryParse(text, out _, out _).Should().BeFalse();
        Assert.Throws<FormatException>(() => GoTime.Parse(text));
    }

    [Fact]
    public void Format_refuses_years_Go_cannot_write()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => GoTime.Format(new Timestamp(-62_167_219_201, 0), TimeSpan.Zero));
        Assert.Throws<ArgumentOutOfRangeException>(() => GoTime.Format(new Timestamp(253_402_300_800, 0), TimeSpan.Zero));
        GoTime.Format(new Timestamp(-62_167_219_200, 0), TimeSpan.Zero).Should().Be("0000-01-01T00:00:00Z");
        GoTime.Format(new Timestamp(253_402_300_799, 999_999_999), TimeSpan.Zero).Should().Be("9999-12-31T23:59:59.999999999Z");
        Assert.Throws<ArgumentOutOfRangeException>(() => GoTime.Format(default, TimeSpan.FromMilliseconds(1500)));
    }
}
