using System.Text.Json.Nodes;
using Cairn.Agent.Journal;
using Cairn.Agent.Protocol;
using Cairn.Agent.Tests.Infrastructure;
using Cairn.Repository;
using Cairn.Storage;
using Cairn.Testing.Trees;

namespace Cairn.Agent.Tests;

/// <summary>The whole agent loop against a fake Space, backing up a real folder with the real engine into a local repository.</summary>
public sealed class AgentLoopTests : AgentTest
{
    [Fact]
    public async Task Back_up_now_runs_the_plan_and_reports_it_to_the_end()
    {
        await using var agent = await EnrolledAgent.EnrollAsync(Folder, Space);
        WriteSources(agent);
        var planId = Guid.NewGuid().ToString("D");
        Space.SetPlans(agent.Plan(planId, "photos", retention: """{"keepLast":1}"""));
        Space.AddCommand(new JsonObject { ["id"] = "cmd-1", ["kind"] = "backupNow", ["planId"] = planId });

        agent.Start();
        await Eventually.HoldsAsync(() => Space.RunReports.Any(r => (string?)r.Report["phase"] == "completed"), "a completed run report", describe: () => string.Join("\n", agent.Log) + "\n" + string.Join("\n", Space.RunReports.Select(r => r.Report.ToJsonString())));
        Space.AddCommand(new JsonObject { ["id"] = "cmd-2", ["kind"] = "backupNow", ["planId"] = planId });
        await Eventually.HoldsAsync(() => Space.RunReports.Count(r => (string?)r.Report["phase"] == "completed") == 2, "a second completed run");
        await agent.StopAsync();

        Space.Acknowledged.Should().Equal("cmd-1", "cmd-2");
        var runId = Space.RunReports.First().RunId;
        var reports = Space.ReportsOf(runId);
        // Each report is the run's whole state; one sent while Space was busy may already be a later phase.
        var phases = reports.Select(r => (string?)r["phase"]).Distinct().ToList();
        phases.Should().BeSubsetOf(["pending", "running", "completed"]).And.EndWith("completed").And.HaveCountGreaterThan(1);
        var end = reports[^1];
        end["trigger"]!.GetValue<string>().Should().Be("manual");
        end["kind"]!.GetValue<string>().Should().Be("backup");
        end["endedAt"].Should().NotBeNull();
        end["result"]!["snapshotId"]!.GetValue<string>().Should().HaveLength(64);
        end["result"]!["files"]!.GetValue<long>().Should().Be(2, "the .tmp file is excluded");
        end["result"]!["bytesAdded"]!.GetValue<long>().Should().BeGreaterThan(0);
        end["result"]!["error"].Should().BeNull();

        // Retention keepLast 1: the second backup's forget left one snapshot.
        await using var repository = await ResticRepository.OpenAsync(ObjectStoreFactory.Open("local:" + agent.RepositoryOf("photos")), EnrolledAgent.Password,
            new RepositoryOptions { Kdf = KdfParameters.Fast }, TestContext.Current.CancellationToken);
        var snapshots = await SnapshotFinder.ListAsync(repository, TestContext.Current.CancellationToken);
        snapshots.Should().ContainSingle();
        snapshots[0].Id.ToString().Should().Be(Space.RunReports.Last(r => (string?)r.Report["phase"] == "completed").Report["result"]!["snapshotId"]!.GetValue<string>());

        Space.Requests.Should().NotContain(r => r.Contains(EnrolledAgent.Password), "the backup password never leaves the instance");
        Space.Requests.Where(r => r.Url.StartsWith("/api/v1/agent/sync", StringComparison.Ordinal)).Should().OnlyContain(r => r.Headers.Contains("Authorization: Bearer " + Space.Token));
    }

    [Fact]
    public async Task A_cancel_command_stops_the_run()
    {
        await using var agent = await EnrolledAgent.EnrollAsync(Folder, Space);
        WriteSources(agent);
        var planId = Guid.NewGuid().ToString("D");
        Space.SetPlans(agent.Plan(planId, "photos", preCommand: "sleep 120"));
        Space.AddCommand(new JsonObject { ["id"] = "cmd-1", ["kind"] = "backupNow", ["planId"] = planId });

        agent.Start();
        await Eventually.HoldsAsync(() => Space.RunReports.Any(r => (string?)r.Report["phase"] == "running"), "a running run");
        var runId = Space.RunReports.First().RunId;
        Space.AddCommand(new JsonObject { ["id"] = "cmd-2", ["kind"] = "cancel", ["runId"] = runId });
        await Eventually.HoldsAsync(() => Space.ReportsOf(runId).Any(r => (string?)r["phase"] == "canceled"), "the run canceled");
        await agent.StopAsync();

        Space.ReportsOf(runId)[^1]["result"]!["error"]!.GetValue<string>().Should().Be("canceled from Space");
        Directory.Exists(agent.RepositoryOf("photos")).Should().BeFalse("the run stopped in its pre-command, before the repository was made");
    }

    [Fact]
    public async Task Stopping_the_agent_interrupts_the_run_and_the_next_start_runs_the_plan_again()
    {
        await using var agent = await EnrolledAgent.EnrollAsync(Folder, Space);
        WriteSources(agent);
        var planId = Guid.NewGuid().ToString("D");
        var marker = Folder.Combine("first-attempt");
        Space.SetPlans(agent.Plan(planId, "photos", preCommand: $"if [ -e {marker} ]; then exit 0; fi; touch {marker}; sleep 120"));
        Space.AddCommand(new JsonObject { ["id"] = "cmd-1", ["kind"] = "backupNow", ["planId"] = planId });

        agent.Start();
        await Eventually.HoldsAsync(() => Space.RunReports.Any(r => (string?)r.Report["phase"] == "running") && File.Exists(marker), "a running run");
        await agent.StopAsync();
        var firstRun = Space.RunReports.First().RunId;
        new RunJournal(agent.State, TimeProvider.System).All().Should().ContainSingle().Which.Report.Phase.Should().Be(RunPhases.Interrupted);

        agent.Start();
        await Eventually.HoldsAsync(() => Space.RunReports.Any(r => r.RunId != firstRun && (string?)r.Report["phase"] == "completed"), "the resumed run completed");
        await agent.StopAsync();

        Space.ReportsOf(firstRun)[^1]["phase"]!.GetValue<string>().Should().Be("interrupted");
        var resumed = Space.RunReports.Last(r => r.RunId != firstRun).Report;
        resumed["trigger"]!.GetValue<string>().Should().Be("resume");
    }

    [Fact]
    public async Task A_run_cut_off_by_a_kill_is_reported_interrupted_and_its_plan_runs_at_once()
    {
        await using var agent = await EnrolledAgent.EnrollAsync(Folder, Space);
        WriteSources(agent);
        var planId = Guid.NewGuid().ToString("D");
        Space.SetPlans(agent.Plan(planId, "photos"));
        // What a kill -9 leaves: the journal says running, nothing says it ended.
        var killedRun = Guid.NewGuid().ToString("D");
        agent.State.Create();
        new RunJournal(agent.State, TimeProvider.System).Save(new JournalEntry
        {
            RunId = killedRun,
            Report = new RunReport { PlanId = planId, Kind = RunKinds.Backup, Trigger = RunTriggers.Schedule, Phase = RunPhases.Running, StartedAt = DateTimeOffset.UtcNow.AddMinutes(-5) },
            Accepted = true,
        });

        agent.Start();
        await Eventually.HoldsAsync(() => Space.RunReports.Any(r => r.RunId != killedRun && (string?)r.Report["phase"] == "completed"), "the resumed run completed");
        await agent.StopAsync();

        var killed = Space.ReportsOf(killedRun).Should().ContainSingle().Subject;
        killed["phase"]!.GetValue<string>().Should().Be("interrupted");
        killed["endedAt"].Should().NotBeNull();
        Space.RunReports.Last(r => r.RunId != killedRun).Report["trigger"]!.GetValue<string>().Should().Be("resume");
        Space.RunReports.Select(r => r.RunId).Distinct().Should().HaveCount(2, "one interrupted run, one resumed run");
    }

    private static void WriteSources(EnrolledAgent agent)
    {
        File.WriteAllText(Path.Combine(agent.Sources, "a.txt"), "first file");
        File.WriteAllBytes(Path.Combine(agent.Sources, "b.bin"), [.. Enumerable.Range(0, 100_000).Select(i => (byte)(i * 7))]);
        File.WriteAllText(Path.Combine(agent.Sources, "scratch.tmp"), "excluded");
    }
}
