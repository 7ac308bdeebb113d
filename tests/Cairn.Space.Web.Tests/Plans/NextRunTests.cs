using System.Globalization;
using Cairn.Space.Plans;
using Cairn.Space.Web.Plans;

namespace Cairn.Space.Web.Tests.Plans;

/// <summary>The next run the Plans page shows, by the agent's rule: Cronos in the plan's zone, a missing monthly day on the month's last.</summary>
public sealed class NextRunTests
{
    [Theory]
    [InlineData("hourly", "UTC", "2026-03-10T10:20:00Z", "2026-03-10T11:15:00Z")]
    [InlineData("daily", "Europe/Berlin", "2026-03-10T12:00:00Z", "2026-03-11T01:30:00Z")]
    [InlineData("daily", "Europe/Berlin", "2026-03-28T12:00:00Z", "2026-03-29T01:00:00Z")] // 02:30 is skipped that night: runs at the change
    [InlineData("weekly", "UTC", "2026-03-10T12:00:00Z", "2026-03-16T02:30:00Z")]
    [InlineData("monthly", "UTC", "2026-04-01T00:00:00Z", "2026-04-30T02:30:00Z")]
    [InlineData("monthly", "UTC", "2026-04-30T03:00:00Z", "2026-05-31T02:30:00Z")]
    [InlineData("cron", "UTC", "2026-03-10T07:00:00Z", "2026-03-10T12:00:00Z")]
    public void Each_kind_runs_next_where_the_agent_would(string kind, string zone, string after, string expected)
    {
        var schedule = new PlanSchedule(kind, Minute: 15, Time: "02:30", Weekday: "monday", DayOfMonth: 31, Cron: "0 */6 * * *");

        var next = NextRun.After(schedule, zone, DateTimeOffset.Parse(after, CultureInfo.InvariantCulture));

        next.Should().Be(DateTimeOffset.Parse(expected, CultureInfo.InvariantCulture));
    }

    [Fact]
    public void An_unknown_time_zone_has_no_next_run()
        => NextRun.After(new PlanSchedule("daily", Time: "02:30"), "Mars/Olympus", DateTimeOffset.UnixEpoch).Should().BeNull();

    [Fact]
    public void A_schedule_reads_in_words_with_its_zone()
    {
        PlanWords.Schedule(new PlanSchedule("daily", Time: "02:30"), "Europe/Berlin").Should().Be("Daily at 02:30, Europe/Berlin");
        PlanWords.Schedule(new PlanSchedule("weekly", Time: "04:00", Weekday: "friday"), "UTC").Should().Be("Weekly on Friday at 04:00, UTC");
        PlanWords.Schedule(new PlanSchedule("monthly", Time: "01:00", DayOfMonth: 31), "UTC").Should().Be("Monthly on day 31 at 01:00, UTC");
    }
}
