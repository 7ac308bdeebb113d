using Cairn.Agent.Protocol;
using Cairn.Agent.Scheduling;
using static Cairn.Agent.Tests.Infrastructure.Plans;

namespace Cairn.Agent.Tests;

public sealed class ScheduleCalculatorTests
{
    private const string Berlin = "Europe/Berlin";

    [Fact]
    public void Daily_runs_at_the_local_time_of_the_plan_zone()
    {
        var schedule = new ScheduleDocument { Kind = "daily", Time = "02:30" };
        // Winter in Berlin is UTC+1: 02:30 local is 01:30 UTC.
        ScheduleCalculator.NextAfter(schedule, Berlin, Utc(2026, 1, 10, 12, 0)).Should().Be(Utc(2026, 1, 11, 1, 30));
    }

    [Fact]
    public void A_daily_time_the_spring_change_skips_runs_at_the_change()
    {
        // 2026-03-29: Berlin's clocks go from 02:00 to 03:00 (01:00 UTC); 02:30 does not exist that night.
        var schedule = new ScheduleDocument { Kind = "daily", Time = "02:30" };
        var next = ScheduleCalculator.NextAfter(schedule, Berlin, Utc(2026, 3, 28, 12, 0));
        next.Should().Be(Utc(2026, 3, 29, 1, 0));
        ScheduleCalculator.NextAfter(schedule, Berlin, next!.Value).Should().Be(Utc(2026, 3, 30, 0, 30), "the day after, 02:30 summer time is 00:30 UTC");
    }

    [Fact]
    public void A_daily_time_the_autumn_change_repeats_runs_once()
    {
        // 2026-10-25: Berlin's clocks go from 03:00 back to 02:00; 02:30 happens twice (00:30 and 01:30 UTC).
        var schedule = new ScheduleDocument { Kind = "daily", Time = "02:30" };
        var first = ScheduleCalculator.NextAfter(schedule, Berlin, Utc(2026, 10, 24, 12, 0));
        first.Should().Be(Utc(2026, 10, 25, 0, 30));
        ScheduleCalculator.NextAfter(schedule, Berlin, first!.Value).Should().Be(Utc(2026, 10, 26, 1, 30), "the repeated 02:30 is not a second slot");
    }

    [Fact]
    public void Monthly_on_the_31st_runs_on_the_last_day_of_a_shorter_month()
    {
        var schedule = new ScheduleDocument { Kind = "monthly", DayOfMonth = 31, Time = "04:00" };
        ScheduleCalculator.NextAfter(schedule, "UTC", Utc(2026, 4, 1, 0, 0)).Should().Be(Utc(2026, 4, 30, 4, 0));
        ScheduleCalculator.NextAfter(schedule, "UTC", Utc(2026, 4, 30, 4, 0)).Should().Be(Utc(2026, 5, 31, 4, 0));
        ScheduleCalculator.NextAfter(schedule, "UTC", Utc(2026, 2, 1, 0, 0)).Should().Be(Utc(2026, 2, 28, 4, 0));
        ScheduleCalculator.NextAfter(schedule, "UTC", Utc(2028, 2, 1, 0, 0)).Should().Be(Utc(2028, 2, 29, 4, 0), "2028 is a leap year");
    }

    [Fact]
    public void Weekly_runs_on_its_weekday()
    {
        var schedule = new ScheduleDocument { Kind = "weekly", Weekday = "sunday", Time = "04:00" };
        // 2026-12-04 is a Friday; the next Sunday is the 6th.
        ScheduleCalculator.NextAfter(schedule, "UTC", Utc(2026, 12, 4, 10, 0)).Should().Be(Utc(2026, 12, 6, 4, 0));
        ScheduleCalculator.NextAfter(schedule, "UTC", Utc(2026, 12, 6, 4, 0)).Should().Be(Utc(2026, 12, 13, 4, 0));
    }

    [Fact]
    public void Hourly_runs_at_its_minute()
    {
        var schedule = new ScheduleDocument { Kind = "hourly", Minute = 15 };
        ScheduleCalculator.NextAfter(schedule, Berlin, Utc(2026, 6, 1, 10, 20)).Should().Be(Utc(2026, 6, 1, 11, 15));
    }

    [Fact]
    public void Cron_reads_five_fields_in_the_plan_zone()
    {
        var schedule = new ScheduleDocument { Kind = "cron", Cron = "0 9 * * 1-5" };
        // Friday 2026-12-04 10:00 UTC is 11:00 in Berlin: the next weekday 09:00 is Monday the 7th, 08:00 UTC.
        ScheduleCalculator.NextAfter(schedule, Berlin, Utc(2026, 12, 4, 10, 0)).Should().Be(Utc(2026, 12, 7, 8, 0));
    }

    [Theory]
    [InlineData("daily", null, "25:00", null, null)]
    [InlineData("weekly", null, "04:00", "someday", null)]
    [InlineData("monthly", null, "04:00", null, null)]
    [InlineData("cron", null, null, null, "every day")]
    [InlineData("yearly", null, "04:00", null, null)]
    [InlineData("hourly", 60, null, null, null)]
    public void A_bad_schedule_is_refused_with_a_message(string kind, int? minute, string? time, string? weekday, string? cron)
    {
        var schedule = new ScheduleDocument { Kind = kind, Minute = minute, Time = time, Weekday = weekday, Cron = cron };
        var validate = () => ScheduleCalculator.Validate(schedule, "UTC");
        validate.Should().Throw<ScheduleException>().Which.Message.Should().NotBeEmpty();
    }

    [Fact]
    public void An_unknown_time_zone_is_refused()
    {
        var validate = () => ScheduleCalculator.Validate(new ScheduleDocument { Kind = "daily", Time = "02:00" }, "Mars/Olympus");
        validate.Should().Throw<ScheduleException>().WithMessage("*Mars/Olympus*");
    }

    [Fact]
    public void The_window_may_cross_midnight()
    {
        var window = new WindowDocument("22:00", "04:00");
        BackupWindow.Contains(window, "UTC", Utc(2026, 1, 1, 23, 0)).Should().BeTrue();
        BackupWindow.Contains(window, "UTC", Utc(2026, 1, 1, 3, 59)).Should().BeTrue();
        BackupWindow.Contains(window, "UTC", Utc(2026, 1, 1, 4, 0)).Should().BeFalse();
        BackupWindow.NextOpen(window, "UTC", Utc(2026, 1, 1, 12, 0)).Should().Be(Utc(2026, 1, 1, 22, 0));
    }
}
