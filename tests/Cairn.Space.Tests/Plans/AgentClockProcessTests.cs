using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Cairn.Space.Agents;
using Cairn.Space.Tests.Infrastructure;

namespace Cairn.Space.Tests.Plans;

/// <summary>
/// A real Space and the real <c>cairn agent</c> process on its test clock (CAIRN_AGENT_TEST_CLOCK, a file the test
/// writes): a daily plan fires at its time and once a day, Pause stops its runs and Resume brings them back, and thirty simulated days of daily runs with retention
/// leave exactly the snapshots restic's own <c>forget --dry-run</c> keeps of thirty snapshots made at the same times.
/// </summary>
public sealed class AgentClockProcessTests(AgentResticSqliteSpace fixture) : IClassFixture<AgentResticSqliteSpace>, IDisposable
{
    private const string BackupPassword = "agent-clock-test-backup-password";
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
    private static readonly string[] ResticPolicy = ["--keep-last", "3", "--keep-daily", "5", "--keep-weekly", "3", "--keep-monthly", "2"];
    private readonly string _scratch = Directory.CreateTempSubdirectory("cairn-agent-clock-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private SpaceFactory Space => fixture.Factory;

    private string ClockFile => Path.Combine(_scratch, "clock");

    public void Dispose() => Directory.Delete(_scratch, recursive: true);

    [Fact]
    public async Task A_daily_plan_fires_at_its_time_on_the_agent_clock_and_not_again_until_the_next_day()
    {
        var (owner, instance, state) = await EnrolledAsync();
        var plan = await owner.CreatePlanAsync(instance, new
        {
            name = "Documents", task = "documents", paths = new[] { Trees.MakeSource(_scratch, 10_000) }, excludes = Array.Empty<string>(),
            schedule = new { kind = "daily", time = "02:30" }, timeZone = "Europe/Berlin", retention = new { keepLast = 3 },
        });

        SetClock(Local(2026, 5, 4, 2, 29, 50));
        var set = Stopwatch.StartNew();
        await using var agent = StartAgent(state);
        await SeenByTheSchedulerAsync(agent, state, plan.Id);
        await Task.Delay(TimeSpan.FromSeconds(2), Ct); // the scheduler looks every second
        if (set.Elapsed < TimeSpan.FromSeconds(9))
        {
            // Only while the agent's clock can still be before 02:30 (it runs on from 02:29:50 with the real one).
            (await RunsAsync(owner, instance, plan.Id)).Should().BeEmpty("02:30 has not come on the agent's clock");
        }

        SetClock(Local(2026, 5, 4, 2, 30, 5));
        var first = (await CompletedRunsAsync(owner, instance, plan.Id, agent, 1)).Single();
        first.GetProperty("trigger").GetString().Should().Be("schedule");
        StartedAt(first).Should().BeOnOrAfter(Local(2026, 5, 4, 2, 30, 0)).And.BeBefore(Local(2026, 5, 4, 2, 31, 0));
        var snapshots = await SnapshotTimesAsync(state, instance, "documents");
        snapshots.Should().ContainKey(first.GetProperty("result").GetProperty("snapshotId").GetString()!)
            .WhoseValue.Should().BeOnOrAfter(Local(2026, 5, 4, 2, 30, 0)).And.BeBefore(Local(2026, 5, 4, 2, 31, 0), "the snapshot has the agent's time");

        // The rest of the day passes without another run; the next day's 02:30 brings one.
        await PassAsync(agent, Local(2026, 5, 4, 23, 59, 0));
        (await RunsAsync(owner, instance, plan.Id)).Should().ContainSingle("02:30 came once that day");

        SetClock(Local(2026, 5, 5, 2, 30, 5));
        var runs = await CompletedRunsAsync(owner, instance, plan.Id, agent, 2);
        runs.Should().HaveCount(2);
        runs.Should().AllSatisfy(r => r.GetProperty("trigger").GetString().Should().Be("schedule"));
        StartedAt(runs[0]).Should().BeOnOrAfter(Local(2026, 5, 5, 2, 30, 0)).And.BeBefore(Local(2026, 5, 5, 2, 31, 0));
        await agent.StopAsync(TimeSpan.FromSeconds(5));
        ReadShared(agent.LogPath!).Should().Contain("test clock in use", "the hook is announced");
    }

    [Fact]
    public async Task Pause_stops_scheduled_runs_and_resume_brings_them_back_without_the_paused_days()
    {
        var (owner, instance, state) = await EnrolledAsync();
        var plan = await owner.CreatePlanAsync(instance, new
        {
            name = "Mail", task = "mail", paths = new[] { Trees.MakeSource(_scratch, 10_000) }, excludes = Array.Empty<string>(),
            schedule = new { kind = "daily", time = "02:30" }, timeZone = "Europe/Berlin",
        });
        SetClock(Local(2026, 6, 1, 1, 0, 0));
        await using var agent = StartAgent(state);
        await SeenByTheSchedulerAsync(agent, state, plan.Id);
        SetClock(Local(2026, 6, 1, 2, 30, 5));
        await CompletedRunsAsync(owner, instance, plan.Id, agent, 1);

        (await owner.Api.PostAsync($"/api/v1/instances/{instance}/plans/{plan.Id}/pause", null, Ct)).EnsureSuccessStatusCode();
        await SyncedAsync(agent, state, paused: true);
        foreach (var day in new[] { 2, 3 })
        {
            await PassAsync(agent, Local(2026, 6, day, 2, 30, 5));
        }

        (await RunsAsync(owner, instance, plan.Id)).Should().ContainSingle("no scheduled run while the plan is paused");

        (await owner.Api.PostAsync($"/api/v1/instances/{instance}/plans/{plan.Id}/resume", null, Ct)).EnsureSuccessStatusCode();
        await SyncedAsync(agent, state, paused: false);
        await PassAsync(agent, Local(2026, 6, 3, 12, 0, 0));
        (await RunsAsync(owner, instance, plan.Id)).Should().ContainSingle("resuming does not run the days that were paused");

        SetClock(Local(2026, 6, 4, 2, 30, 5));
        var runs = await CompletedRunsAsync(owner, instance, plan.Id, agent, 2);
        runs.Should().HaveCount(2);
        runs[0].GetProperty("trigger").GetString().Should().Be("schedule");
        StartedAt(runs[0]).Should().BeOnOrAfter(Local(2026, 6, 4, 2, 30, 0)).And.BeBefore(Local(2026, 6, 4, 2, 31, 0));
        await agent.StopAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task After_thirty_simulated_days_retention_has_left_what_restic_forget_keeps_of_snapshots_at_the_same_times()
    {
        var (owner, instance, state) = await EnrolledAsync();
        var source = Trees.NewTemp(_scratch);
        var diary = Path.Combine(source, "diary.txt");
        await File.WriteAllTextAsync(diary, "day 0", Ct);
        var plan = await owner.CreatePlanAsync(instance, new
        {
            name = "Diary", task = "diary", paths = new[] { source }, excludes = Array.Empty<string>(),
            schedule = new { kind = "daily", time = "02:30" }, timeZone = "Europe/Berlin",
            retention = new { keepLast = 3, keepDaily = 5, keepWeekly = 3, keepMonthly = 2 },
        });

        // From 20 April: the days cross a month's end and four weeks' ends.
        SetClock(Local(2026, 4, 20, 1, 0, 0));
        await using var agent = StartAgent(state);
        await SeenByTheSchedulerAsync(agent, state, plan.Id);
        var times = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        for (var day = 0; day < 30; day++)
        {
            await File.WriteAllTextAsync(diary, $"day {day}", Ct); // every day's backup saves something new
            SetClock(Local(2026, 4, 20, 2, 30, 5).AddDays(day));
            await CompletedRunsAsync(owner, instance, plan.Id, agent, day + 1);

            // keep-daily 5 keeps every snapshot for five days: listing every fourth day sees each one's time.
            if (day % 4 == 3 || day == 29)
            {
                foreach (var (id, time) in await SnapshotTimesAsync(state, instance, "diary"))
                {
                    times[id] = time;
                }
            }
        }

        await agent.StopAsync(TimeSpan.FromSeconds(5));
        var runs = await RunsAsync(owner, instance, plan.Id);
        runs.Should().HaveCount(30, "one run a day, no catch-up or repeat");
        var made = runs.Select(r => r.GetProperty("result").GetProperty("snapshotId").GetString()!).ToList();
        times.Keys.Should().BeEquivalentTo(made, "every snapshot the agent made was seen");

        // restic judges thirty snapshots of its own made at the same times (to the second, in the same offset).
        var judge = new Restic(Path.Combine(_scratch, "judge"), new Dictionary<string, string> { ["TZ"] = "UTC" });
        (await judge.RunAsync("init")).EnsureSuccess();
        var byTime = new Dictionary<DateTimeOffset, string>();
        foreach (var (id, time) in times)
        {
            var second = Truncated(time);
            byTime.Add(second, id);
            (await judge.RunAsync("backup", "--host", "judge", "--time", second.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture), source))
                .EnsureSuccess();
        }

        var judged = JsonDocument.Parse((await judge.RunAsync(["forget", "--dry-run", "--json", .. ResticPolicy])).EnsureSuccess().Output).RootElement;
        var resticKeeps = judged.EnumerateArray().SelectMany(g => g.GetProperty("keep").EnumerateArray())
            .Select(s => byTime[Truncated(DateTimeOffset.Parse(s.GetProperty("time").GetString()!, CultureInfo.InvariantCulture))]).ToList();
        var left = (await SnapshotTimesAsync(state, instance, "diary")).Keys.ToList();

        left.Should().BeEquivalentTo(resticKeeps);
        left.Should().HaveCountGreaterThan(5).And.HaveCountLessThan(30, "the policy both kept and removed some");
    }

    private async Task<(SpaceClient Owner, string Instance, string State)> EnrolledAsync()
    {
        var owner = await SpaceClient.SignUpAsync(Space.ListenAddress);
        var instance = await owner.RegisterInstanceAsync();
        var passwordFile = Path.Combine(_scratch, "password");
        await File.WriteAllTextAsync(passwordFile, BackupPassword + "\n", Ct);
        var state = Path.Combine(_scratch, "state");
        var enrolled = await AgentProgram.RunAsync("agent", "enroll", Space.ListenAddress.ToString(), "--code", await owner.MintCodeAsync(instance),
            "--password-file", passwordFile, "--state-dir", state);
        enrolled.ExitCode.Should().Be(0, enrolled.Output);
        return (owner, instance, state);
    }

    /// <summary>The agent on the test clock; TZ=UTC gives its snapshot times the offset the judging restic uses.</summary>
    private RunningProgram StartAgent(string state) => AgentProgram.Start(Path.Combine(_scratch, "agent.log"),
        new Dictionary<string, string> { ["CAIRN_AGENT_TEST_CLOCK"] = ClockFile, ["CAIRN_TEST_KDF"] = "fast", ["TZ"] = "UTC" },
        "agent", "run", "--state-dir", state);

    /// <summary>Written whole and renamed into place, so the agent never reads half an instant.</summary>
    private void SetClock(DateTimeOffset now)
    {
        var next = ClockFile + ".new";
        File.WriteAllText(next, now.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
        File.Move(next, ClockFile, overwrite: true);
    }

    private static DateTimeOffset Local(int year, int month, int day, int hour, int minute, int second)
    {
        var wall = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Unspecified);
        return new DateTimeOffset(wall, Berlin.GetUtcOffset(wall));
    }

    private static DateTimeOffset Truncated(DateTimeOffset time) => new(time.UtcTicks - (time.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);

    private static DateTimeOffset StartedAt(JsonElement run) => run.GetProperty("startedAt").GetDateTimeOffset();

    /// <summary>A plan the scheduler has seen counts its slots from then on: the test moves the clock only after.</summary>
    private static async Task SeenByTheSchedulerAsync(RunningProgram agent, string state, Guid plan)
    {
        var schedule = Path.Combine(state, "schedule.json");
        var deadline = DateTime.UtcNow.AddMinutes(1);
        while (!File.Exists(schedule) || !(await File.ReadAllTextAsync(schedule, Ct)).Contains(plan.ToString(), StringComparison.Ordinal))
        {
            if (DateTime.UtcNow > deadline || agent.HasExited)
            {
                throw new TimeoutException($"the agent never scheduled plan {plan}; its log:\n{ReadShared(agent.LogPath!)}");
            }

            await Task.Delay(50, Ct);
        }
    }

    private static int ClockMoves(RunningProgram agent)
    {
        var text = ReadShared(agent.LogPath!);
        var count = 0;
        for (var at = text.IndexOf("test clock moved", StringComparison.Ordinal); at >= 0; at = text.IndexOf("test clock moved", at + 1, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    private static async Task ClockMovedAsync(RunningProgram agent, int moves)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (ClockMoves(agent) < moves)
        {
            if (DateTime.UtcNow > deadline || agent.HasExited)
            {
                throw new TimeoutException("the agent never saw its clock move");
            }

            await Task.Delay(50, Ct);
        }
    }

    /// <summary>Moves the clock and lets the agent see it and look at its schedule a few times.</summary>
    private async Task PassAsync(RunningProgram agent, DateTimeOffset now)
    {
        var moves = ClockMoves(agent);
        SetClock(now);
        await ClockMovedAsync(agent, moves + 1);
        await Task.Delay(TimeSpan.FromSeconds(2), Ct); // the scheduler looks every second
    }

    /// <summary>Waits until the agent's last sync (its plans.json) has the plan paused or not.</summary>
    private static async Task SyncedAsync(RunningProgram agent, string state, bool paused)
    {
        var plans = Path.Combine(state, "plans.json");
        var expected = paused ? "\"paused\":true" : "\"paused\":false";
        var deadline = DateTime.UtcNow.AddMinutes(1);
        while (!(await File.ReadAllTextAsync(plans, Ct)).Contains(expected, StringComparison.Ordinal))
        {
            if (DateTime.UtcNow > deadline || agent.HasExited)
            {
                throw new TimeoutException($"the agent's plans never showed {expected}; its log:\n{ReadShared(agent.LogPath!)}");
            }

            await Task.Delay(50, Ct);
        }
    }

    private static async Task<List<JsonElement>> RunsAsync(SpaceClient owner, string instance, Guid plan)
        => [.. JsonDocument.Parse(await owner.Api.GetStringAsync($"/api/v1/instances/{instance}/plans/{plan}/runs", Ct)).RootElement.EnumerateArray()];

    /// <summary>Waits until the plan has <paramref name="count"/> completed backup runs (newest first); a failed one ends the test.</summary>
    private static async Task<List<JsonElement>> CompletedRunsAsync(SpaceClient owner, string instance, Guid plan, RunningProgram agent, int count)
    {
        var deadline = DateTime.UtcNow.AddMinutes(1);
        while (true)
        {
            var runs = await RunsAsync(owner, instance, plan);
            runs.Should().NotContain(r => r.GetProperty("phase").GetString() == "failed", string.Join('\n', runs));
            var completed = runs.Where(r => r.GetProperty("kind").GetString() == "backup" && r.GetProperty("phase").GetString() == "completed").ToList();
            if (completed.Count >= count)
            {
                return completed;
            }

            if (DateTime.UtcNow > deadline || agent.HasExited)
            {
                throw new TimeoutException($"{completed.Count} of {count} runs completed; runs: {string.Join('\n', runs)}; agent log:\n"
                                           + ReadShared(agent.LogPath!));
            }

            await Task.Delay(100, Ct);
        }
    }

    /// <summary>Every snapshot in the task's repository and its time, as restic lists them through Space's REST route.</summary>
    private async Task<Dictionary<string, DateTimeOffset>> SnapshotTimesAsync(string state, string instance, string task)
    {
        var enrolled = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(state, "agent.json"), Ct)).RootElement;
        var restic = new Restic($"rest:http://{AgentTokens.RepositoryUser(enrolled.GetProperty("agentId").GetGuid())}:"
                                + $"{enrolled.GetProperty("token").GetString()}@{Space.ListenAddress.Authority}/repo/{instance}/{task}/",
            new Dictionary<string, string> { ["RESTIC_PASSWORD"] = BackupPassword });
        var listed = JsonDocument.Parse((await restic.RunAsync("snapshots", "--json")).EnsureSuccess().Output).RootElement;
        return listed.EnumerateArray().ToDictionary(s => s.GetProperty("id").GetString()!,
            s => DateTimeOffset.Parse(s.GetProperty("time").GetString()!, CultureInfo.InvariantCulture), StringComparer.Ordinal);
    }

    private static string ReadShared(string path)
    {
        using var log = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(log);
        return reader.ReadToEnd();
    }
}
