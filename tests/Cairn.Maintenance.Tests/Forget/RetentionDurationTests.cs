using Cairn.Maintenance.Forget;
using Cairn.Repository.Format;

namespace Cairn.Maintenance.Tests.Forget;

public sealed class RetentionDurationTests
{
    [Theory]
    [InlineData("1y2m3d4h", 1, 2, 3, 4)]
    [InlineData("2d1y", 1, 0, 2, 0)]
    [InlineData("1y1y", 1, 0, 0, 0)]
    [InlineData("1d2d", 0, 0, 2, 0)]
    [InlineData(" 007d", 0, 0, 7, 0)]
    [InlineData("25h", 0, 0, 0, 25)]
    [InlineData("1d-2h", 0, 0, 1, -2)]
    public void Parses_units_in_any_order_and_a_later_unit_replaces_an_earlier_one(string text, int y, int m, int d, int h)
    {
        RetentionDuration.Parse(text).Should().Be(new RetentionDuration(y, m, d, h));
    }

    [Theory]
    [InlineData("1w", "invalid unit 'w' found after number 1")]
    [InlineData("10", "no unit found after number 10")]
    [InlineData("d", "no number found")]
    [InlineData("+1d", "no number found")]
    [InlineData("1.5d", "invalid unit '.' found after number 1")]
    [InlineData("99999999999999999999d", "number 99999999999999999999 is out of range")]
    public void Refuses_what_restic_refuses(string text, string expected)
    {
        RetentionDuration.TryParse(text, out _, out var error).Should().BeFalse();
        error.Should().Be(expected);
    }

    [Fact]
    public void Prints_non_zero_units_in_restics_order()
    {
        RetentionDuration.Parse("4h2d1y").ToString().Should().Be("1y2d4h");
        RetentionDuration.Parse("0y0d").IsZero.Should().BeTrue();
    }

    [Theory]
    [InlineData("2022-03-31T12:00:00Z", "1m", "2022-03-03T12:00:00Z")]
    [InlineData("2024-02-29T08:00:00Z", "1y", "2023-03-01T08:00:00Z")]
    [InlineData("2022-03-01T00:30:00Z", "1m1d", "2022-01-31T00:30:00Z")]
    [InlineData("2022-03-31T12:00:00Z", "1m1h", "2022-03-03T11:00:00Z")]
    [InlineData("2022-01-15T10:00:00Z", "13m", "2020-12-15T10:00:00Z")]
    [InlineData("2022-01-01T01:00:00+05:30", "1d", "2021-12-31T01:00:00+05:30")]
    public void Subtracts_calendar_units_like_gos_AddDate(string from, string span, string expected)
    {
        var start = NodeTime.Parse(from);
        var cutoff = RetentionDuration.Parse(span).SubtractFrom(start.UnixSeconds, start.OffsetSeconds);
        cutoff.Should().Be(NodeTime.Parse(expected).UnixSeconds);
    }
}
