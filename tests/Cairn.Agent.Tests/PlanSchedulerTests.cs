using Cairn.Agent.Protocol;
using Cairn.Agent.Scheduling;
using Cairn.Agent.State;
using Cairn.Agent.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;
using static Cairn.Agent.Tests.Infrastructure.Plans;
using Cairn.Testing.Trees;

namespace Cairn.Agent.Tests;

public sealed class PlanSchedulerTests : IDisposable
{
    private readonly Scratch _folder = new();
    private readonly StateFolder _state;

    public PlanSchedulerTests()
    {
        _state = new StateFolder(_folder.Path);
        _state.Create();
    }

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void A_plan_first_seen_waits_for_its_next_slot()
    {
        var time = new FakeTimeProvider(Utc(2026, 5, 1, 10, 0));
        var scheduler = new PlanScheduler(_state, time);
        var plan = Daily("02:00");
        scheduler.Due([plan]).Should().BeEmpty("the plan is new: today's 02:00 is not owed");
        time.SetUtcNow(Utc(2026, 5, 2, 1, 59));
        scheduler.Due([plan]).Should().BeEmpty();
        time.SetUtcNow(Utc(2026, 5, 2, 2, 0));
        var due = scheduler.Due([plan]).Should().ContainSingle().Subject;
        due.Trigger.Should().Be(RunTriggers.Schedule);
        due.Slot.Should().Be(Utc(2026, 5, 2, 2, 0));
        scheduler.MarkStarted(due);
        scheduler.Due([plan]).Should().BeEmpty("the slot has its run");
    }

    [Fact]
    public void Slots_missed_while_off_give_one_catch_up_run()
    {
        var time = new FakeTimeProvider(Utc(2026, 5, 1, 10, 0));
        var plan = Daily("02:00");
        new PlanScheduler(_state, time).Due([plan]).Should().BeEmpty();

        // The instance is off for three days and a half; a new agent process starts.
        time.SetUtcNow(Utc(2026, 5, 4, 22, 0));
        var restarted = new PlanScheduler(_state, time);
        var due = restarted.Due([plan]).Should().ContainSingle("three missed slots are one run").Subject;
        due.Trigger.Should().Be(RunTriggers.CatchUp);
        due.Slot.Should().Be(Utc(2026, 5, 4, 2, 0), "the run stands for the latest missed slot");
        restarted.MarkStarted(due);
        restarted.Due([plan]).Should().BeEmpty();
        time.SetUtcNow(Utc(2026, 5, 5, 2, 0));
        restarted.Due([plan]).Should().ContainSingle().Which.Trigger.Should().Be(RunTriggers.Schedule);
    }

    [Fact]
    public void A_slot_outside_the_window_waits_for_it_to_open()
    {
        var time = new FakeTimeProvider(Utc(2026, 5, 1, 10, 0));
        var scheduler = new PlanScheduler(_state, time);
        var plan = Daily("00:30") with { Window = new WindowDocument("01:00", "05:00") };
        scheduler.Due([plan]).Should().BeEmpty();
        time.SetUtcNow(Utc(2026, 5, 2, 0, 31));
        scheduler.Due([plan]).Should().BeEmpty("00:31 is outside 01:00-05:00");
        time.SetUtcNow(Utc(2026, 5, 2, 1, 0));
        scheduler.Due([plan]).Should().ContainSingle().Which.Slot.Should().Be(Utc(2026, 5, 2, 0, 30));
    }

    [Fact]
    public void A_paused_plan_has_no_scheduled_run_and_skips_the_slots_that_pass_while_paused()
    {
        var time = new FakeTimeProvider(Utc(2026, 5, 1, 10, 0));
        var scheduler = new PlanScheduler(_state, time);
        var plan = Daily("02:00");
        scheduler.Due([plan]).Should().BeEmpty();
        time.SetUtcNow(Utc(2026, 5, 2, 3, 0));
        scheduler.Due([plan with { Paused = true }]).Should().BeEmpty();
        scheduler.Due([plan]).Should().BeEmpty("resumed, the plan does not owe the slot it was paused for");
        time.SetUtcNow(Utc(2026, 5, 3, 2, 1));
        scheduler.Due([plan]).Should().ContainSingle().Which.Slot.Should().Be(Utc(2026, 5, 3, 2, 0));
    }

    [Fact]
    public void The_prune_schedule_is_its_own()
    {
        var time = new FakeTimeProvider(Utc(2026, 12, 4, 10, 0));
        var scheduler = new PlanScheduler(_state, time);
        var plan = Daily("02:00") with { Prune = new PruneDocument { Schedule = new ScheduleDocument { Kind = "weekly", Weekday = "sunday", Time = "04:00" } } };
        scheduler.Due([plan]).Should().BeEmpty();
        time.SetUtcNow(Utc(2026, 12, 5, 2, 0));
        scheduler.Due([plan]).Select(d => d.Kind).Should().Equal(RunKinds.Backup);
        time.SetUtcNow(Utc(2026, 12, 6, 4, 0));
        scheduler.Due([plan]).Select(d => d.Kind).Should().BeEquivalentTo([RunKinds.Backup, RunKinds.Prune]);
    }

    [Fact]
    public void A_plan_with_a_bad_schedule_is_named_and_the_others_still_run()
    {
        var time = new FakeTimeProvider(Utc(2026, 5, 1, 10, 0));
        var scheduler = new PlanScheduler(_state, time);
        var problems = new List<string>();
        scheduler.InvalidPlan += (plan, problem) => problems.Add(problem);
        var good = Daily("02:00");
        var bad = Daily("02:00") with { TimeZone = "Nowhere/Atlantis" };
        scheduler.Due([bad, good]).Should().BeEmpty();
        time.SetUtcNow(Utc(2026, 5, 2, 2, 0));

        scheduler.Due([bad, good]).Should().ContainSingle().Which.Plan.Should().Be(good);
        problems.Should().ContainSingle("the same problem is named once").Which.Should().Contain("Nowhere/Atlantis");
    }

    [Fact]
    public void Two_runs_never_share_a_plan_or_a_repository()
    {
        var gate = new RunGate();
        gate.TryEnter("plan-a", "photos").Should().BeTrue();
        gate.TryEnter("plan-a", "other").Should().BeFalse("the plan runs already");
        gate.TryEnter("plan-b", "photos").Should().BeFalse("the repository is in use");
        gate.TryEnter("plan-b", "music").Should().BeTrue();
        gate.Exit("plan-a", "photos");
        gate.TryEnter("plan-c", "photos").Should().BeTrue();
    }
}
