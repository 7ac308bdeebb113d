using System.Text.Json.Nodes;
using Cairn.Agent.Protocol;
using Cairn.Agent.Tests.Infrastructure;
using Cairn.Testing.Trees;

namespace Cairn.Agent.Tests;

/// <summary>The console's "Restore on the instance", carried out by the agent with the engine's restorer.</summary>
public sealed class AgentRestoreTests : AgentTest
{
    [Fact]
    public async Task A_restore_command_restores_the_latest_snapshot_into_the_target()
    {
        await using var agent = await EnrolledAgent.EnrollAsync(Folder, Space);
        File.WriteAllText(Path.Combine(agent.Sources, "a.txt"), "first file");
        File.WriteAllBytes(Path.Combine(agent.Sources, "b.bin"), [1, 2, 3]);
        var planId = Guid.NewGuid().ToString("D");
        Space.SetPlans(agent.Plan(planId, "photos"));
        Space.AddCommand(new JsonObject { ["id"] = "cmd-1", ["kind"] = "backupNow", ["planId"] = planId });
        agent.Start();
        await Eventually.HoldsAsync(() => Space.RunReports.Any(r => (string?)r.Report["phase"] == "completed"), "the backup completed");

        var target = Folder.Combine("restored");
        Space.AddCommand(new JsonObject
        {
            ["id"] = "cmd-2",
            ["kind"] = "restore",
            ["planId"] = planId,
            ["restore"] = new JsonObject { ["snapshot"] = "latest", ["target"] = target, ["include"] = new JsonArray(), ["exclude"] = new JsonArray("*.bin"), ["overwrite"] = "ifChanged" },
        });
        await Eventually.HoldsAsync(() => Space.RunReports.Any(r => (string?)r.Report["kind"] == "restore" && RunPhases.IsEnded((string?)r.Report["phase"] ?? "")), "the restore ended");
        await agent.StopAsync();

        var restore = Space.RunReports.Last(r => (string?)r.Report["kind"] == "restore").Report;
        restore["phase"]!.GetValue<string>().Should().Be("completed", restore.ToJsonString());
        restore["result"]!["snapshotId"]!.GetValue<string>().Should().HaveLength(64);
        var restoredFolder = target + agent.Sources;
        File.ReadAllText(Path.Combine(restoredFolder, "a.txt")).Should().Be("first file");
        File.Exists(Path.Combine(restoredFolder, "b.bin")).Should().BeFalse("the restore excluded *.bin");
    }
}
