using System.Text.Json.Nodes;
using Cairn.Agent.Tests.Infrastructure;
using Cairn.Testing.Trees;

namespace Cairn.Agent.Tests;

/// <summary>Pre-commands: a failure aborts the run when the plan says so, else it is a warning; a time-out stops the command.</summary>
public sealed class PlanHookTests : AgentTest
{
    [Theory]
    [InlineData(true, "failed")]
    [InlineData(false, "completed")]
    public async Task A_failing_pre_command_aborts_the_run_only_when_the_plan_says_so(bool aborts, string phase)
    {
        var end = await RunOnceAsync(plan =>
        {
            plan["preCommand"] = "echo dump went wrong >&2; exit 3";
            plan["hookFailureAborts"] = aborts;
        });

        end["phase"]!.GetValue<string>().Should().Be(phase, end.ToJsonString());
        var said = "the pre-command failed with exit code 3: dump went wrong";
        if (aborts)
        {
            end["result"]!["error"]!.GetValue<string>().Should().Be(said);
            end["result"]!["snapshotId"].Should().BeNull();
        }
        else
        {
            end["result"]!["warnings"]!.AsArray().Select(w => w!.GetValue<string>()).Should().Contain(said);
            end["result"]!["snapshotId"]!.GetValue<string>().Should().HaveLength(64);
        }
    }

    [Fact]
    public async Task A_pre_command_past_its_time_out_is_stopped_and_the_run_fails()
    {
        var end = await RunOnceAsync(plan =>
        {
            plan["preCommand"] = "sleep 60";
            plan["hookTimeoutSeconds"] = 1;
        });

        end["phase"]!.GetValue<string>().Should().Be("failed");
        end["result"]!["error"]!.GetValue<string>().Should().Be("the pre-command did not finish within 1 s and was stopped");
    }

    private async Task<JsonObject> RunOnceAsync(Action<JsonObject> change)
    {
        await using var agent = await EnrolledAgent.EnrollAsync(Folder, Space);
        File.WriteAllText(Path.Combine(agent.Sources, "a.txt"), "content");
        var planId = Guid.NewGuid().ToString("D");
        var plan = agent.Plan(planId, "photos");
        change(plan);
        Space.SetPlans(plan);
        Space.AddCommand(new JsonObject { ["id"] = "cmd-1", ["kind"] = "backupNow", ["planId"] = planId });
        agent.Start();
        await Eventually.HoldsAsync(() => Space.RunReports.Any(r => Protocol.RunPhases.IsEnded((string?)r.Report["phase"] ?? "")), "the run ended");
        await agent.StopAsync();
        return Space.RunReports.Last().Report;
    }
}
