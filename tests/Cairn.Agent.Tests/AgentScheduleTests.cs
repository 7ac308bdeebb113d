using Cairn.Agent.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;
using static Cairn.Agent.Tests.Infrastructure.Plans;
using Cairn.Testing.Trees;

namespace Cairn.Agent.Tests;

/// <summary>The whole loop on an injected clock: a daily plan fires at its time, not before, and a paused one does not.</summary>
public sealed class AgentScheduleTests : AgentTest
{
    [Fact]
    public async Task A_daily_plan_fires_at_its_time_on_the_agent_clock()
    {
        await using var agent = await EnrolledAgent.EnrollAsync(Folder, Space);
        File.WriteAllText(Path.Combine(agent.Sources, "a.txt"), "content");
        var planId = Guid.NewGuid().ToString("D");
        var plan = agent.Plan(planId, "photos");
        plan["timeZone"] = "UTC";
        Space.SetPlans(plan);
        // 02:29 UTC: the plan's 02:30 is a minute away.
        var time = new FakeTimeProvider(Utc(2026, 5, 1, 2, 29));

        agent.Start(time);
        await agent.Loop!.PlansKnown.WaitAsync(TimeSpan.FromMinutes(1), TestContext.Current.CancellationToken);
        await Tick(time, TimeSpan.FromSeconds(30));
        Space.RunReports.Should().BeEmpty("02:29:30 is before the slot");

        await Tick(time, TimeSpan.FromSeconds(31));
        await Eventually.HoldsAsync(() => Space.RunReports.Any(r => (string?)r.Report["phase"] == "completed"), "the scheduled run completed");
        await agent.StopAsync();

        var end = Space.RunReports.Last().Report;
        end["trigger"]!.GetValue<string>().Should().Be("schedule");
        end["startedAt"]!.GetValue<DateTimeOffset>().Should().BeOnOrAfter(Utc(2026, 5, 1, 2, 30)).And.BeBefore(Utc(2026, 5, 1, 2, 31), "the run started on the agent's clock, at its slot");
        Space.RunReports.Select(r => r.RunId).Distinct().Should().ContainSingle();
    }

    [Fact]
    public async Task Pause_stops_scheduled_runs_and_resume_brings_them_back_without_catching_up_the_paused_days()
    {
        await using var agent = await EnrolledAgent.EnrollAsync(Folder, Space);
        File.WriteAllText(Path.Combine(agent.Sources, "a.txt"), "content");
        var plan = agent.Plan(Guid.NewGuid().ToString("D"), "photos");
        plan["timeZone"] = "UTC";
        Space.SetPlans(plan);
        var time = new FakeTimeProvider(Utc(2026, 5, 1, 2, 29));
        agent.Start(time);
        await agent.Loop!.PlansKnown.WaitAsync(TimeSpan.FromMinutes(1), TestContext.Current.CancellationToken);
        await Tick(time, TimeSpan.FromSeconds(62));
        await Eventually.HoldsAsync(() => Completed() == 1, "the first day's run completed");

        var paused = plan.DeepClone().AsObject();
        paused["paused"] = true;
        Space.SetPlans(paused);
        await SyncedAsync();
        await DayAsync(time, 2);
        await DayAsync(time, 3);
        await Task.Delay(300, TestContext.Current.CancellationToken);
        Completed().Should().Be(1, "no scheduled run while paused");

        time.SetUtcNow(Utc(2026, 5, 3, 12, 0));
        Space.SetPlans(plan.DeepClone().AsObject());
        await SyncedAsync();
        await Tick(time, TimeSpan.FromSeconds(5));
        await Task.Delay(300, TestContext.Current.CancellationToken);
        Completed().Should().Be(1, "resuming does not run the days that were paused");

        await DayAsync(time, 4);
        await Eventually.HoldsAsync(() => Completed() == 2, "the first slot after resuming ran");
        await agent.StopAsync();
        Space.RunReports.Last().Report["trigger"]!.GetValue<string>().Should().Be("schedule");
    }

    /// <summary>Waits until the agent asks with Space's current revision: it holds the plans as they are now.</summary>
    private Task SyncedAsync()
    {
        var revision = $"sync?revision={Space.Revision}&";
        return Eventually.HoldsAsync(() => Space.Requests.Any(r => r.Url.Contains(revision, StringComparison.Ordinal)), "the agent synced the change");
    }

    private int Completed() => Space.RunReports.Where(r => (string?)r.Report["phase"] == "completed").Select(r => r.RunId).Distinct().Count();

    /// <summary>Brings the clock to just before day <paramref name="day"/>'s 02:30 slot (May 2026, UTC) and past it.</summary>
    private static async Task DayAsync(FakeTimeProvider time, int day)
    {
        time.SetUtcNow(Utc(2026, 5, day, 2, 29).AddSeconds(58));
        await Tick(time, TimeSpan.FromSeconds(3));
    }

    /// <summary>Moves the clock a second at a time, letting the loop look at the schedule after each.</summary>
    private static async Task Tick(FakeTimeProvider time, TimeSpan span)
    {
        for (var elapsed = TimeSpan.Zero; elapsed < span; elapsed += TimeSpan.FromSeconds(1))
        {
            time.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(5, TestContext.Current.CancellationToken);
        }
    }
}
