using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Cairn.Agent.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;
using static Cairn.Agent.Tests.Infrastructure.Plans;
using Cairn.Testing.Trees;

namespace Cairn.Agent.Tests;

/// <summary>
/// Thirty simulated days of a daily plan with retention, on the agent's clock: the snapshots its forget-after-every-
/// backup leaves are exactly those restic 0.14's <c>forget --dry-run</c> with the same policy keeps of all thirty
/// (a twin plan without retention, on the same clock, holds all thirty for restic to judge).
/// </summary>
public sealed class AgentRetentionTests : AgentTest
{
    private const string Policy = """{"keepDaily":7,"keepWeekly":4,"keepMonthly":12}""";
    private static readonly string[] ResticPolicy = ["--keep-daily", "7", "--keep-weekly", "4", "--keep-monthly", "12"];

    [Fact]
    public async Task After_thirty_daily_runs_retention_has_left_what_restic_forget_would_keep()
    {
        await using var agent = await EnrolledAgent.EnrollAsync(Folder, Space);
        var file = Path.Combine(agent.Sources, "diary.txt");
        File.WriteAllText(file, "day 0");
        var kept = agent.Plan(Guid.NewGuid().ToString("D"), "kept", retention: Policy);
        var all = agent.Plan(Guid.NewGuid().ToString("D"), "all");
        kept["timeZone"] = "UTC";
        all["timeZone"] = "UTC";
        Space.SetPlans(kept, all);
        var time = new FakeTimeProvider(Utc(2026, 5, 1, 2, 29));
        agent.Start(time);
        await agent.Loop!.PlansKnown.WaitAsync(TimeSpan.FromMinutes(1), TestContext.Current.CancellationToken);

        for (var day = 0; day < 30; day++)
        {
            File.WriteAllText(file, $"day {day}"); // every day's backup saves something new
            time.SetUtcNow(Utc(2026, 5, 1 + day, 2, 29).AddSeconds(58));
            for (var second = 0; second < 3; second++)
            {
                time.Advance(TimeSpan.FromSeconds(1));
                await Task.Delay(5, TestContext.Current.CancellationToken);
            }

            var expected = 2 * (day + 1);
            await Eventually.HoldsAsync(() => Completed() >= expected, $"both plans' runs of day {day + 1} completed",
                describe: () => string.Join('\n', agent.Log));
        }

        await agent.StopAsync();
        Completed().Should().Be(60, "one run per plan per day, no catch-up or repeat");

        var everything = await ResticAsync(agent.RepositoryOf("all"), "snapshots", "--json");
        JsonDocument.Parse(everything).RootElement.GetArrayLength().Should().Be(30);
        var judged = JsonDocument.Parse(await ResticAsync(agent.RepositoryOf("all"), ["forget", "--dry-run", "--json", .. ResticPolicy])).RootElement;
        var resticKeeps = judged.EnumerateArray().SelectMany(g => g.GetProperty("keep").EnumerateArray()).Select(Day).Order().ToList();
        var left = JsonDocument.Parse(await ResticAsync(agent.RepositoryOf("kept"), "snapshots", "--json")).RootElement
            .EnumerateArray().Select(Day).Order().ToList();

        left.Should().Equal(resticKeeps);
        left.Should().HaveCountGreaterThan(7).And.HaveCountLessThan(30, "the policy both kept and removed some");
    }

    private int Completed() => Space.RunReports
        .Where(r => (string?)r.Report["phase"] == "completed" && (string?)r.Report["kind"] == "backup")
        .Select(r => r.RunId).Distinct().Count();

    private static string Day(JsonElement snapshot)
        => DateTimeOffset.Parse(snapshot.GetProperty("time").GetString()!, CultureInfo.InvariantCulture).UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static async Task<string> ResticAsync(string repository, params string[] arguments)
    {
        var start = new ProcessStartInfo("restic") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("-r");
        start.ArgumentList.Add(repository);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["RESTIC_PASSWORD"] = EnrolledAgent.Password;
        using var restic = Process.Start(start)!;
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        limit.CancelAfter(TimeSpan.FromMinutes(1));
        var output = restic.StandardOutput.ReadToEndAsync(limit.Token);
        var error = restic.StandardError.ReadToEndAsync(limit.Token);
        await restic.WaitForExitAsync(limit.Token);
        restic.ExitCode.Should().Be(0, await error);
        return await output;
    }
}
