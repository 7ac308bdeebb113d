using Cairn.Space.Alerts;
using Cairn.Space.Plans;

namespace Cairn.Space.Tests.Alerts;

/// <summary>A plan's expected interval is the gap between its next two slots, by the agent's schedule rule.</summary>
public sealed class ExpectedIntervalTests
{
    private static readonly DateTimeOffset Thursday = new(2026, 3, 12, 15, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Hourly_daily_and_weekly_plans_expect_an_hour_a_day_and_a_week()
    {
        ExpectedInterval.Of(new PlanSchedule("hourly", Minute: 15), "UTC", Thursday).Should().Be(TimeSpan.FromHours(1));
        ExpectedInterval.Of(new PlanSchedule("daily", Time: "02:30"), "Europe/Berlin", Thursday).Should().Be(TimeSpan.FromDays(1));
        ExpectedInterval.Of(new PlanSchedule("weekly", Time: "02:30", Weekday: "sunday"), "UTC", Thursday).Should().Be(TimeSpan.FromDays(7));
    }

    // The slots are 28 March 04:00 CET and 29 March 04:00 CEST.
    [Fact]
    public void A_daily_plan_across_the_spring_change_expects_23_hours()
        => ExpectedInterval.Of(new PlanSchedule("daily", Time: "04:00"), "Europe/Berlin", new DateTimeOffset(2026, 3, 27, 12, 0, 0, TimeSpan.Zero))
            .Should().Be(TimeSpan.FromHours(23));

    [Fact]
    public void A_monthly_plan_expects_the_coming_month()
        => ExpectedInterval.Of(new PlanSchedule("monthly", Time: "01:00", DayOfMonth: 1), "UTC", new DateTimeOffset(2026, 1, 15, 0, 0, 0, TimeSpan.Zero))
            .Should().Be(TimeSpan.FromDays(28), "the slots are 1 February and 1 March");

    [Fact]
    public void A_cron_plan_expects_the_gap_between_its_next_two_slots()
    {
        var weekdays = new PlanSchedule("cron", Cron: "0 2 * * 1-5");
        ExpectedInterval.Of(weekdays, "UTC", Thursday).Should().Be(TimeSpan.FromDays(3), "Friday to Monday");
        ExpectedInterval.Of(weekdays, "UTC", Thursday.AddDays(1)).Should().Be(TimeSpan.FromDays(1), "Monday to Tuesday");
    }

    [Fact]
    public void Durations_read_in_their_largest_whole_unit()
    {
        DurationWords.Of(TimeSpan.FromDays(3)).Should().Be("3 days");
        DurationWords.Of(TimeSpan.FromHours(1)).Should().Be("1 hour");
        DurationWords.Of(TimeSpan.FromHours(36)).Should().Be("36 hours");
        DurationWords.Of(TimeSpan.FromMinutes(90)).Should().Be("90 minutes");
    }
}
