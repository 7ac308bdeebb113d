using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Cairn.Space.Agents;
using Cairn.Space.Tests.Infrastructure;

namespace Cairn.Space.Tests.Plans;

/// <summary>
/// A real Space on Kestrel and the real <c>cairn agent</c> process: enrollment with a one-time code (used twice:
/// refused; expired: refused), Back up now carried out by the running agent and reported as a completed run whose
/// snapshot restic lists, a restore on the instance, SIGTERM ending the agent cleanly, and the backup password in no
/// request the agent made (a tcpdump capture of loopback) and nowhere in Space's database, data folder or log.
/// </summary>
public sealed class AgentProcessTests(AgentResticSqliteSpace fixture) : IClassFixture<AgentResticSqliteSpace>, IDisposable
{
    private const string BackupPassword = "agent-process-test-backup-password";
    private readonly string _scratch = Directory.CreateTempSubdirectory("cairn-agent-process-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private SpaceFactory Space => fixture.Factory;

    public void Dispose() => Directory.Delete(_scratch, recursive: true);

    [Fact]
    public async Task The_agent_enrolls_once_per_code_backs_up_on_demand_and_never_hands_Space_the_password()
    {
        var owner = await SpaceClient.SignUpAsync(Space.ListenAddress);
        var instance = await owner.RegisterInstanceAsync();
        var passwordFile = Path.Combine(_scratch, "password");
        await File.WriteAllTextAsync(passwordFile, BackupPassword + "\n", Ct);
        var state = Path.Combine(_scratch, "state");

        // Every byte between the agent and Space, as it crossed loopback (plain HTTP here), for the search at the end.
        var capture = Path.Combine(_scratch, "agent.pcap");
        await using var tcpdump = Programs.StartLogged(Path.Combine(_scratch, "tcpdump.log"), TimeSpan.FromMinutes(5), "/usr/bin/tcpdump",
            "-i", "lo", "-U", "-s", "0", "-n", "-w", capture, "tcp", "port", Space.ListenAddress.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var opened = DateTime.UtcNow.AddSeconds(20);
        while (!File.Exists(capture) && DateTime.UtcNow < opened)
        {
            await Task.Delay(50, Ct);
        }

        File.Exists(capture).Should().BeTrue("tcpdump opens its capture");
        await Task.Delay(500, Ct); // tcpdump has the file before it listens

        var code = await owner.MintCodeAsync(instance);
        (await Enroll(code, state, passwordFile)).ExitCode.Should().Be(0);
        var again = await Enroll(code, Path.Combine(_scratch, "state-again"), passwordFile);
        again.ExitCode.Should().NotBe(0);
        again.Output.Should().Contain("code", "the refusal says why");

        var stale = await owner.MintCodeAsync(instance);
        Space.Clock.Advance(TimeSpan.FromMinutes(16));
        (await Enroll(stale, Path.Combine(_scratch, "state-stale"), passwordFile)).ExitCode.Should().NotBe(0);

        var source = Trees.MakeSource(_scratch, 300_000);
        var plan = await owner.CreatePlanAsync(instance, new
        {
            name = "Documents", task = "documents", paths = new[] { source }, excludes = Array.Empty<string>(),
            schedule = new { kind = "daily", time = "02:30" }, timeZone = "Europe/Berlin", retention = new { keepLast = 3 },
        });

        await using (var agent = AgentProgram.Start(Path.Combine(_scratch, "agent.log"), "agent", "run", "--state-dir", state))
        {
            (await owner.Api.PostAsync($"/api/v1/instances/{instance}/plans/{plan.Id}/backup-now", null, Ct)).StatusCode
                .Should().Be(HttpStatusCode.Accepted);
            var run = await CompletedRunAsync(owner, instance, plan.Id, agent);
            run.GetProperty("trigger").GetString().Should().Be("manual");
            var snapshot = run.GetProperty("result").GetProperty("snapshotId").GetString()!;
            run.GetProperty("result").GetProperty("files").GetInt64().Should().BeGreaterThan(20);

            var enrolled = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(state, "agent.json"), Ct)).RootElement;
            var restic = new Restic($"rest:http://{AgentTokens.RepositoryUser(enrolled.GetProperty("agentId").GetGuid())}:"
                                    + $"{enrolled.GetProperty("token").GetString()}@{Space.ListenAddress.Authority}/repo/{instance}/documents/",
                new Dictionary<string, string> { ["RESTIC_PASSWORD"] = BackupPassword });
            (await restic.RunAsync("snapshots", "--json")).EnsureSuccess().Output.Should().Contain(snapshot);

            // Restore on the instance: the owner asks Space, the agent restores the snapshot into the target.
            var target = Path.Combine(_scratch, "restored");
            (await owner.Api.PostAsJsonAsync($"/api/v1/instances/{instance}/plans/{plan.Id}/restore",
                new { snapshot = snapshot[..8], target, overwrite = "sometimes" }, Ct)).StatusCode.Should().Be(HttpStatusCode.BadRequest);
            (await owner.Api.PostAsJsonAsync($"/api/v1/instances/{instance}/plans/{plan.Id}/restore",
                new { snapshot = snapshot[..8], target }, Ct)).StatusCode.Should().Be(HttpStatusCode.Accepted);
            await CompletedRunAsync(owner, instance, plan.Id, agent, kind: "restore");
            File.ReadAllBytes(Path.Combine(target + source, "big.bin")).Should().Equal(File.ReadAllBytes(Path.Combine(source, "big.bin")));
            (await owner.Api.PostAsync($"/api/v1/instances/{instance}/runs/{run.GetProperty("id").GetGuid()}/cancel", null, Ct)).StatusCode
                .Should().Be(HttpStatusCode.Conflict, "an ended run cannot be canceled");

            await agent.StopAsync(TimeSpan.FromSeconds(5));
            agent.HasExited.Should().BeTrue();
        }

        // The password stays on the instance: not in any request the agent made (the capture holds its token, so it
        // did record them), the database, the data folder or anything Space logged.
        await tcpdump.StopAsync(TimeSpan.FromSeconds(5)); // SIGTERM: tcpdump closes its capture
        var needle = Encoding.UTF8.GetBytes(BackupPassword);
        var captured = await File.ReadAllBytesAsync(capture, Ct);
        var token = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(state, "agent.json"), Ct)).RootElement.GetProperty("token").GetString()!;
        captured.AsSpan().IndexOf(Encoding.UTF8.GetBytes(token)).Should().BeGreaterThanOrEqualTo(0, "the capture recorded the agent's requests");
        captured.AsSpan().IndexOf(needle).Should().Be(-1, "no request carried the backup password");
        foreach (var file in Directory.EnumerateFiles(Space.DataPath, "*", SearchOption.AllDirectories))
        {
            (await File.ReadAllBytesAsync(file, Ct)).AsSpan().IndexOf(needle).Should().Be(-1, $"{file} must not hold the backup password");
        }

        Space.Logs.Entries.Should().NotContain(e => e.Contains(BackupPassword, StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_agent_killed_mid_backup_reports_it_interrupted_resumes_it_and_uploads_less_than_half_again()
    {
        var megabytes = int.TryParse(Environment.GetEnvironmentVariable("CAIRN_TEST_RESUME_MB"), out var mb) ? mb : 500;
        var owner = await SpaceClient.SignUpAsync(Space.ListenAddress);
        var instance = await owner.RegisterInstanceAsync();
        var passwordFile = Path.Combine(_scratch, "password");
        await File.WriteAllTextAsync(passwordFile, BackupPassword + "\n", Ct);
        var state = Path.Combine(_scratch, "state");
        (await Enroll(await owner.MintCodeAsync(instance), state, passwordFile)).ExitCode.Should().Be(0);
        var corpus = Path.Combine(_scratch, "corpus");
        Directory.CreateDirectory(corpus);
        for (var i = 0; i < megabytes / 10; i++)
        {
            await File.WriteAllBytesAsync(Path.Combine(corpus, $"f{i:D3}.bin"), Objects.Random(10_000_000), Ct); // incompressible
        }

        var fresh = await PlanAsync(owner, instance, "fresh", corpus);
        var resumed = await PlanAsync(owner, instance, "resumed", corpus);
        long freshBytes;
        await using (var agent = AgentProgram.Start(Path.Combine(_scratch, "agent-1.log"), "agent", "run", "--state-dir", state))
        {
            await BackUpNowAsync(owner, instance, fresh);
            await CompletedRunAsync(owner, instance, fresh, agent);
            freshBytes = await StoredBytesAsync(owner, "fresh");

            // The second plan's backup, killed (SIGKILL, DisposeAsync) once Space holds a little over half of it.
            await BackUpNowAsync(owner, instance, resumed);
            var deadline = DateTime.UtcNow.AddMinutes(3);
            while (await StoredBytesAsync(owner, "resumed") < freshBytes * 55 / 100)
            {
                (DateTime.UtcNow < deadline && !agent.HasExited).Should().BeTrue("the backup reaches half way while the agent runs");
                await Task.Delay(50, Ct);
            }
        }

        var atKill = await StoredBytesAsync(owner, "resumed");
        await using (var agent = AgentProgram.Start(Path.Combine(_scratch, "agent-2.log"), "agent", "run", "--state-dir", state))
        {
            var run = await CompletedRunAsync(owner, instance, resumed, agent);
            run.GetProperty("trigger").GetString().Should().Be("resume");
            await agent.StopAsync(TimeSpan.FromSeconds(5));
        }

        var runs = JsonDocument.Parse(await owner.Api.GetStringAsync($"/api/v1/instances/{instance}/plans/{resumed}/runs", Ct)).RootElement;
        runs.EnumerateArray().Select(r => r.GetProperty("phase").GetString()).Should().Equal("completed", "interrupted");
        var uploadedAgain = await StoredBytesAsync(owner, "resumed") - atKill;
        uploadedAgain.Should().BeLessThan(freshBytes / 2, $"the killed run had stored {atKill} of {freshBytes} bytes; their packs are reused");

        var enrolled = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(state, "agent.json"), Ct)).RootElement;
        var restic = new Restic($"rest:http://{AgentTokens.RepositoryUser(enrolled.GetProperty("agentId").GetGuid())}:"
                                + $"{enrolled.GetProperty("token").GetString()}@{Space.ListenAddress.Authority}/repo/{instance}/resumed/",
            new Dictionary<string, string> { ["RESTIC_PASSWORD"] = BackupPassword });
        (await restic.RunAsync("unlock")).EnsureSuccess(); // the killed agent's lock: restic's check refuses any other lock
        (await restic.RunAsync("check", "--read-data")).EnsureSuccess().Output.Should().Contain("no errors were found");
    }

    private static async Task<Guid> PlanAsync(SpaceClient owner, string instance, string task, string path) => (await owner.CreatePlanAsync(instance, new
    {
        name = task, task, paths = new[] { path }, excludes = Array.Empty<string>(),
        schedule = new { kind = "daily", time = "02:30" }, timeZone = "Europe/Berlin", retention = new { keepLast = 3 },
    })).Id;

    private static async Task BackUpNowAsync(SpaceClient owner, string instance, Guid plan)
        => (await owner.Api.PostAsync($"/api/v1/instances/{instance}/plans/{plan}/backup-now", null, Ct)).StatusCode.Should().Be(HttpStatusCode.Accepted);

    private static async Task<long> StoredBytesAsync(SpaceClient owner, string task)
        => (await owner.BackupsAsync()).SingleOrDefault(b => b.Name == task)?.StorageBytes ?? 0;

    private Task<ProgramResult> Enroll(string code, string state, string passwordFile)
        => AgentProgram.RunAsync("agent", "enroll", Space.ListenAddress.ToString(), "--code", code, "--password-file", passwordFile, "--state-dir", state);

    private static async Task<JsonElement> CompletedRunAsync(SpaceClient owner, string instance, Guid planId, RunningProgram agent, string kind = "backup")
    {
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (true)
        {
            var runs = JsonDocument.Parse(await owner.Api.GetStringAsync($"/api/v1/instances/{instance}/plans/{planId}/runs", Ct)).RootElement;
            if (runs.EnumerateArray().FirstOrDefault(r => r.GetProperty("kind").GetString() == kind
                                                          && r.GetProperty("phase").GetString() is "completed" or "failed") is { ValueKind: JsonValueKind.Object } run)
            {
                run.GetProperty("phase").GetString().Should().Be("completed", run.ToString());
                return run;
            }

            if (DateTime.UtcNow > deadline || agent.HasExited)
            {
                throw new TimeoutException($"no completed run; runs: {runs}; agent log:\n{await File.ReadAllTextAsync(agent.LogPath!, Ct)}");
            }

            await Task.Delay(250, Ct);
        }
    }
}
