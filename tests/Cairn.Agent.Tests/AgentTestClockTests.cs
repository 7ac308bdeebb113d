using System.Globalization;
using System.Text.Json.Nodes;
using Cairn.Agent.Scheduling;
using Cairn.Agent.Tests.Infrastructure;
using Cairn.Repository;
using Cairn.Storage;
using Cairn.Testing.Trees;

namespace Cairn.Agent.Tests;

/// <summary>
/// An agent on a test clock three days ahead: its snapshots carry the test clock's time, but the locks it writes
/// carry the real time (another process judges them stale by it) and its sweep spares a temporary file that another
/// writer touched a moment ago (file times are real).
/// </summary>
public sealed class AgentTestClockTests : AgentTest
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task On_a_clock_days_ahead_snapshots_follow_it_while_locks_and_sweeps_keep_the_real_clock()
    {
        await using var agent = await EnrolledAgent.EnrollAsync(Folder, Space);
        File.WriteAllText(Path.Combine(agent.Sources, "a.txt"), "content");
        var planId = Guid.NewGuid().ToString("D");
        var plan = agent.Plan(planId, "photos", retention: """{"keepLast":1}""");
        plan["uploadLimitKiBps"] = 1024; // the second backup takes a few seconds: long enough to see its lock
        Space.SetPlans(plan);
        var ahead = DateTimeOffset.UtcNow.AddDays(3);
        File.WriteAllText(Folder.Combine("clock"), ahead.ToString("O", CultureInfo.InvariantCulture));
        using var clock = new FileClock(Folder.Combine("clock"), TimeProvider.System, _ => { });
        agent.Start(clock);

        Space.AddCommand(new JsonObject { ["id"] = "cmd-1", ["kind"] = "backupNow", ["planId"] = planId });
        await Eventually.HoldsAsync(() => Ended() == 1, "the first run ended");
        var root = agent.RepositoryOf("photos");
        var othersUpload = Path.Combine(root, ".tmp-000000000000000000000042");
        File.WriteAllBytes(othersUpload, new byte[100]);
        var big = new byte[3_000_000];
        Random.Shared.NextBytes(big);
        File.WriteAllBytes(Path.Combine(agent.Sources, "big.bin"), big);

        await using var repository = await ResticRepository.OpenAsync(ObjectStoreFactory.Open("local:" + root), EnrolledAgent.Password,
            new RepositoryOptions(), Ct);
        Space.AddCommand(new JsonObject { ["id"] = "cmd-2", ["kind"] = "backupNow", ["planId"] = planId });
        var lockTimes = new List<DateTimeOffset>();
        while (Ended() < 2)
        {
            lockTimes.AddRange((await RepositoryLock.ListAsync(repository, Ct)).Select(l => l.File.Time.ToDateTimeOffset()));
            await Task.Delay(50, Ct);
        }

        await agent.StopAsync();
        Space.RunReports.Where(r => (string?)r.Report["phase"] == "completed").Select(r => r.RunId).Distinct().Should().HaveCount(2,
            string.Join('\n', agent.Log));
        lockTimes.Should().NotBeEmpty("the second backup held a lock for seconds")
            .And.AllSatisfy(t => t.Should().BeCloseTo(DateTimeOffset.UtcNow, TimeSpan.FromMinutes(10), "a lock carries the real time"));
        File.Exists(othersUpload).Should().BeTrue("a temporary file written a moment ago (by the real clock) is not a crash's leftover");
        var snapshots = await SnapshotFinder.ListAsync(repository, Ct);
        snapshots.Should().ContainSingle("keep-last 1 left the newest").Which.Snapshot.Time.ToDateTimeOffset()
            .Should().BeCloseTo(ahead, TimeSpan.FromMinutes(10), "the snapshot carries the agent's clock");
    }

    private int Ended() => Space.RunReports.Where(r => Protocol.RunPhases.IsEnded((string?)r.Report["phase"] ?? "")).Select(r => r.RunId).Distinct().Count();
}
