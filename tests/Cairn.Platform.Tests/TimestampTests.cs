namespace Cairn.Platform.Tests;

public sealed class TimestampTests
{
    [Fact]
    public void Nanoseconds_must_be_below_one_second()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new Timestamp(0, 1_000_000_000));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Timestamp(0, 1) with { Nanoseconds = 1_000_000_000 });
        new Timestamp(-1, 999_999_999).Nanoseconds.Should().Be(999_999_999);
    }

    [Fact]
    public void DateTimeOffset_round_trips_at_100_ns()
    {
        var value = new DateTimeOffset(2026, 11, 27, 2, 54, 43, TimeSpan.FromHours(1)).AddTicks(186_377);
        var timestamp = Timestamp.FromDateTimeOffset(value);
        timestamp.Should().Be(new Timestamp(value.ToUnixTimeSeconds(), 18_637_700));
        timestamp.ToDateTimeOffset().Should().Be(value);
        timestamp.ToDateTimeOffset().Offset.Should().Be(TimeSpan.Zero);
    }

    [Fact]
    public void Times_before_1970_keep_positive_nanoseconds()
    {
        var value = DateTimeOffset.UnixEpoch.AddTicks(-1); // 100 ns before the epoch
        var timestamp = Timestamp.FromDateTimeOffset(value);
        timestamp.Should().Be(new Timestamp(-1, 999_999_900));
        timestamp.ToDateTimeOffset().Should().Be(value);
        timestamp.ToString().Should().Be("1969-12-31T23:59:59.9999999Z");
    }

    [Fact]
    public void ToDateTimeOffset_truncates_below_100_ns()
    {
        new Timestamp(0, 199).ToDateTimeOffset().Should().Be(DateTimeOffset.UnixEpoch.AddTicks(1));
    }

    [Fact]
    public void ToDateTimeOffset_refuses_times_it_cannot_hold()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new Timestamp(long.MaxValue, 0).ToDateTimeOffset());
        Assert.Throws<ArgumentOutOfRangeException>(() => new Timestamp(-62_135_596_801, 0).ToDateTimeOffset());
        new Timestamp(-62_135_596_800, 0).ToDateTimeOffset().Should().Be(DateTimeOffset.MinValue);
        new Timestamp(253_402_300_799, 999_999_999).ToDateTimeOffset().Should().Be(DateTimeOffset.MaxValue);
    }

    [Fact]
    public void Timestamps_order_by_seconds_then_nanoseconds()
    {
        var times = new[] { new Timestamp(1, 5), new Timestamp(-1, 7), new Timestamp(1, 0), new Timestamp(0, 999_999_999) };
        times.Order().Should().Equal(new Timestamp(-1, 7), new Timestamp(0, 999_999_999), new Timestamp(1, 0), new Timestamp(1, 5));
        (new Timestamp(1, 0) < new Timestamp(1, 1)).Should().BeTrue();
        (new Timestamp(1, 1) >= new Timestamp(1, 1)).Should().BeTrue();
        (new Timestamp(2, 0) > new Timestamp(1, 999_999_999)).Should().BeTrue();
        (new Timestamp(2, 0) <= new Timestamp(1, 999_999_999)).Should().BeFalse();
    }
}
