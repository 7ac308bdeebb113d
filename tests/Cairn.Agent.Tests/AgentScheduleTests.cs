using Cairn.Agent.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;
using static Cairn.Agent.Tests.Infrastructure.Plans;

namespace Cairn.Agent.Tests;

/// <summary>The whole loop on an injected clock: a daily plan fires at its time, not before, and a paused one does not.</summary>
public sealed class AgentScheduleTests : IAsyncDisposable
{
    private readonly TempFolder _folder = new();
    private readonly FakeSpace _space = new();

    public async ValueTask DisposeAsync()
    {
        await _space.DisposeAsync();
        _folder.Dispose();
    }

    [Fact]
    public async Task A_daily_plan_fires_at_its_time_on_the_agent_clock()
    {
        await using var agent = await EnrolledAgent.EnrollAsync(_folder, _space);
        File.WriteAllText(Path.Combine(agent.Sources, "a.txt"), "content");
        var planId = Guid.NewGuid().ToString("D");
        var plan = agent.Plan(planId, "photos");
        plan["timeZone"] = "UTC";
        _space.SetPlans(plan);
        // 02:29 UTC: the plan's 02:30 is a minute away.
        var time = new FakeTimeProvider(Utc(2026, 5, 1, 2, 29));

        agent.Start(time);
        await agent.Loop!.PlansKnown.WaitAsync(TimeSpan.FromMinutes(1), TestContext.Current.CancellationToken);
        await Tick(time, TimeSpan.FromSeconds(30));
        _space.RunReports.Should().BeEmpty("02:29:30 is before the slot");

        await Tick(time, TimeSpan.FromSeconds(31));
        await Eventually.HoldsAsync(() => _space.RunReports.Any(r => (string?)r.Report["phase"] == "completed"), "the scheduled run completed");
        await agent.StopAsync();

        var end = _space.RunReports.Last().Report;
        end["trigger"]!.GetValue<string>().Should().Be("schedule");
        end["startedAt"]!.GetValue<DateTimeOffset>().Should().BeOnOrAfter(Utc(2026, 5, 1, 2, 30)).And.BeBefore(Utc(2026, 5, 1, 2, 31), "the run started on the agent's clock, at its slot");
        _space.RunReports.Select(r => r.RunId).Distinct().Should().ContainSingle();
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
