using System.Net;
using System.Net.Http.Json;
using System.Text;
using Cairn.Space.Agents;
using Cairn.Space.Plans;
using Cairn.Space.Tests.Infrastructure;

namespace Cairn.Space.Tests.Plans;

/// <summary>Enrollment, the agent's token on the agent API and the repositories, the long poll, commands and run reports.</summary>
public abstract class AgentProtocolTests(SpaceFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private SpaceFactory Space => fixture.Factory;

    [Fact]
    public async Task A_code_enrolls_once_and_looks_as_the_contract_says()
    {
        var owner = await SpaceClient.SignUpAsync(Space);
        var instance = await owner.RegisterInstanceAsync();
        var minted = await owner.Api.PostAsync($"/api/v1/instances/{instance}/agent-codes", null, Ct);
        minted.StatusCode.Should().Be(HttpStatusCode.Created);
        var code = (await minted.Content.ReadFromJsonAsync<EnrollmentCodeResponse>(Ct))!;
        code.Code.Should().MatchRegex("^[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}$");
        code.ExpiresAt.Should().Be(Space.Clock.GetUtcNow() + TimeSpan.FromMinutes(15));

        var enrolled = await AgentClient.EnrollAsync(Space, code.Code.ToLowerInvariant().Replace("-", "", StringComparison.Ordinal));
        enrolled.StatusCode.Should().Be(HttpStatusCode.OK);
        var agent = (await enrolled.Content.ReadFromJsonAsync<EnrollResponse>(Ct))!;
        agent.Instance.Should().Be(instance);
        agent.Token.Should().StartWith($"cairn-agent_{agent.AgentId:D}_");

        var reused = await AgentClient.EnrollAsync(Space, code.Code);
        reused.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await reused.Content.ReadFromJsonAsync<AgentError>(Ct))!.Error.Should().Be(AgentService.RefusedCode);
        (await AgentClient.EnrollAsync(Space, "ABCD-EFGH")).StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await AgentClient.EnrollAsync(Space, "not a code")).StatusCode.Should().Be(HttpStatusCode.BadRequest);

        var agents = await owner.Api.GetFromJsonAsync<AgentResponse[]>($"/api/v1/instances/{instance}/agents", Ct);
        agents.Should().ContainSingle().Which.Should().BeEquivalentTo(new
        {
            Id = agent.AgentId, Hostname = "box.lan", AgentVersion = "0.1.0", RevokedAt = (DateTimeOffset?)null,
        });
    }

    [Fact]
    public async Task A_code_sent_by_several_agents_at_once_enrolls_exactly_one()
    {
        var owner = await SpaceClient.SignUpAsync(Space);
        var instance = await owner.RegisterInstanceAsync();
        var code = await owner.MintCodeAsync(instance);

        var answers = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => AgentClient.EnrollAsync(Space, code)));

        answers.Count(a => a.StatusCode == HttpStatusCode.OK).Should().Be(1);
        answers.Count(a => a.StatusCode == HttpStatusCode.BadRequest).Should().Be(5);
        (await owner.Api.GetFromJsonAsync<AgentResponse[]>($"/api/v1/instances/{instance}/agents", Ct)).Should().ContainSingle();
    }

    [Fact]
    public async Task A_code_expires_after_fifteen_minutes()
    {
        var owner = await SpaceClient.SignUpAsync(Space);
        var instance = await owner.RegisterInstanceAsync();
        var late = await owner.MintCodeAsync(instance);
        var inTime = await owner.MintCodeAsync(instance);

        Space.Clock.Advance(TimeSpan.FromMinutes(15) - TimeSpan.FromSeconds(1));
        (await AgentClient.EnrollAsync(Space, inTime)).StatusCode.Should().Be(HttpStatusCode.OK);
        Space.Clock.Advance(TimeSpan.FromSeconds(1));
        (await AgentClient.EnrollAsync(Space, late)).StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await owner.Api.GetFromJsonAsync<AgentResponse[]>($"/api/v1/instances/{instance}/agents", Ct)).Should().ContainSingle();
    }

    [Fact]
    public async Task Revoking_cuts_the_agent_off_the_agent_api_and_the_repositories_at_once()
    {
        var owner = await SpaceClient.SignUpAsync(Space);
        var instance = await owner.RegisterInstanceAsync();
        var agent = await owner.EnrollAgentAsync(Space, instance);
        var api = AgentClient.AgentApi(Space, agent.Token);
        var repo = SpaceClient.Repository(Space, AgentTokens.RepositoryUser(agent.AgentId), agent.Token);
        (await api.SyncAsync(null, 0)).Revision.Should().Be(0);
        (await repo.CreateAsync(instance, "photos")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await repo.UploadAsync(Objects.Path(instance, "photos", "config"), Objects.Random(100))).StatusCode.Should().Be(HttpStatusCode.OK);

        (await owner.Api.DeleteAsync($"/api/v1/instances/{instance}/agents/{agent.AgentId}", Ct)).StatusCode.Should().Be(HttpStatusCode.NoContent);

        (await api.GetAsync("/api/v1/agent/sync?wait=0", Ct)).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await repo.GetAsync(Objects.Path(instance, "photos", "config"), Ct)).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await owner.Api.GetFromJsonAsync<AgentResponse[]>($"/api/v1/instances/{instance}/agents", Ct))!.Single().RevokedAt
            .Should().Be(Space.Clock.GetUtcNow());
    }

    [Fact]
    public async Task Each_agent_request_notes_when_it_was_last_seen_and_a_removed_instance_cuts_its_agents_off()
    {
        var owner = await SpaceClient.SignUpAsync(Space);
        var instance = await owner.RegisterInstanceAsync();
        var agent = await owner.EnrollAgentAsync(Space, instance);
        var api = AgentClient.AgentApi(Space, agent.Token);
        var enrolledAt = Space.Clock.GetUtcNow();

        Space.Clock.Advance(TimeSpan.FromHours(3));
        await api.SyncAsync(null, 0);
        var seen = (await owner.Api.GetFromJsonAsync<AgentResponse[]>($"/api/v1/instances/{instance}/agents", Ct))!.Single();
        seen.CreatedAt.Should().Be(enrolledAt);
        seen.LastSeenAt.Should().Be(Space.Clock.GetUtcNow());

        (await owner.Api.DeleteAsync($"/api/v1/instances/{instance}", Ct)).StatusCode.Should().Be(HttpStatusCode.NoContent);
        (await api.GetAsync("/api/v1/agent/sync?wait=0", Ct)).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task The_agent_principal_reaches_every_task_of_its_own_instance_and_no_other()
    {
        var owner = await SpaceClient.SignUpAsync(Space);
        var instance = await owner.RegisterInstanceAsync();
        var agent = await owner.EnrollAgentAsync(Space, instance);
        var repo = SpaceClient.Repository(Space, AgentTokens.RepositoryUser(agent.AgentId), agent.Token);
        var other = await owner.RegisterInstanceAsync(); // the same owner's other instance
        var neighbour = owner.Repository(await owner.MintAsync(other, task: "photos"));
        (await neighbour.CreateAsync(other, "photos")).StatusCode.Should().Be(HttpStatusCode.OK);

        foreach (var task in new[] { "photos", "documents" })
        {
            (await repo.CreateAsync(instance, task)).StatusCode.Should().Be(HttpStatusCode.OK);
            var name = await repo.UploadObjectAsync(instance, task, "data", Objects.Random(64));
            (await repo.DeleteAsync(Objects.Path(instance, task, "data", name), Ct)).StatusCode.Should().Be(HttpStatusCode.OK); // full access
        }

        (await repo.GetAsync(Objects.Path(other, "photos", "keys") + "/", Ct)).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await repo.CreateAsync(other, "photos")).StatusCode.Should().Be(HttpStatusCode.Forbidden);

        // The token is bound to its agent's user name, and the agent API's token is no owner token.
        var wrongUser = SpaceClient.Repository(Space, AgentTokens.RepositoryUser(Guid.NewGuid()), agent.Token);
        (await wrongUser.GetAsync(Objects.Path(instance, "photos", "keys") + "/", Ct)).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await AgentClient.AgentApi(Space, agent.Token).GetAsync($"/api/v1/instances/{instance}/plans", Ct)).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await owner.Api.GetAsync("/api/v1/agent/sync?wait=0", Ct)).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Sync_answers_at_once_on_a_new_revision_and_otherwise_waits_for_one()
    {
        var owner = await SpaceClient.SignUpAsync(Space);
        var instance = await owner.RegisterInstanceAsync();
        var agent = AgentClient.AgentApi(Space, (await owner.EnrollAgentAsync(Space, instance)).Token);
        var plan = await owner.CreatePlanAsync(instance);

        var first = await agent.SyncAsync(0, 60);
        first.Revision.Should().Be(1);
        first.Plans.Should().ContainSingle().Which.Should().BeEquivalentTo(plan);
        first.Commands.Should().BeEmpty();

        // Nothing changes: the poll runs out its wait and answers the same revision.
        (await agent.SyncAsync(1, 1)).Revision.Should().Be(1);

        // A change during a long wait ends it with the new revision, long before the wait is over.
        var waiting = agent.SyncAsync(1, 60);
        (await owner.Api.PostAsync($"/api/v1/instances/{instance}/plans/{plan.Id}/pause", null, Ct)).EnsureSuccessStatusCode();
        var changed = await waiting.WaitAsync(TimeSpan.FromSeconds(45), Ct);
        changed.Revision.Should().Be(2);
        changed.Plans.Single().Paused.Should().BeTrue();

        (await owner.Api.DeleteAsync($"/api/v1/instances/{instance}/plans/{plan.Id}", Ct)).EnsureSuccessStatusCode();
        var deleted = await agent.SyncAsync(2, 60);
        deleted.Revision.Should().Be(3);
        deleted.Plans.Should().BeEmpty();
    }

    [Fact]
    public async Task A_command_is_sent_until_it_is_acknowledged()
    {
        var owner = await SpaceClient.SignUpAsync(Space);
        var instance = await owner.RegisterInstanceAsync();
        var agent = AgentClient.AgentApi(Space, (await owner.EnrollAgentAsync(Space, instance)).Token);
        var plan = await owner.CreatePlanAsync(instance);
        var queued = (await (await owner.Api.PostAsync($"/api/v1/instances/{instance}/plans/{plan.Id}/backup-now", null, Ct))
            .Content.ReadFromJsonAsync<QueuedCommandResponse>(Ct))!;

        // The revision is current, yet the pending command answers the poll at once, and again until acknowledged.
        foreach (var _ in Enumerable.Range(0, 2))
        {
            var sync = await agent.SyncAsync(1, 60).WaitAsync(TimeSpan.FromSeconds(45), Ct);
            sync.Commands.Should().ContainSingle().Which.Should().BeEquivalentTo(new { queued.Id, Kind = "backupNow", PlanId = plan.Id });
        }

        var raw = await agent.GetStringAsync("/api/v1/agent/sync?revision=1&wait=0", Ct);
        raw.Should().Contain($"\"commands\":[{{\"id\":\"{queued.Id}\",\"kind\":\"backupNow\",\"planId\":\"{plan.Id}\"}}]");

        (await agent.PostAsync($"/api/v1/agent/commands/{queued.Id}/ack", null, Ct)).StatusCode.Should().Be(HttpStatusCode.NoContent);
        (await agent.PostAsync($"/api/v1/agent/commands/{queued.Id}/ack", null, Ct)).StatusCode.Should().Be(HttpStatusCode.NoContent);
        (await agent.SyncAsync(1, 0)).Commands.Should().BeEmpty();
        (await agent.PostAsync($"/api/v1/agent/commands/{Guid.NewGuid()}/ack", null, Ct)).StatusCode.Should().Be(HttpStatusCode.NotFound);

        // Another instance's agent neither sees nor takes it.
        var otherInstance = await owner.RegisterInstanceAsync();
        var otherAgent = AgentClient.AgentApi(Space, (await owner.EnrollAgentAsync(Space, otherInstance)).Token);
        var second = (await (await owner.Api.PostAsync($"/api/v1/instances/{instance}/plans/{plan.Id}/backup-now", null, Ct))
            .Content.ReadFromJsonAsync<QueuedCommandResponse>(Ct))!;
        (await otherAgent.SyncAsync(0, 0)).Commands.Should().BeEmpty();
        (await otherAgent.PostAsync($"/api/v1/agent/commands/{second.Id}/ack", null, Ct)).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await agent.SyncAsync(1, 0)).Commands.Should().ContainSingle().Which.Id.Should().Be(second.Id);
    }

    [Fact]
    public async Task Run_reports_are_idempotent_and_an_ended_run_never_changes()
    {
        var owner = await SpaceClient.SignUpAsync(Space);
        var instance = await owner.RegisterInstanceAsync();
        var agent = AgentClient.AgentApi(Space, (await owner.EnrollAgentAsync(Space, instance)).Token);
        var plan = await owner.CreatePlanAsync(instance);
        var runId = Guid.NewGuid();
        var started = new DateTimeOffset(2026, 3, 10, 2, 30, 0, TimeSpan.Zero).AddTicks(1234567);
        object Report(string phase, long bytesDone, string? snapshot = null, string? error = null) => new
        {
            planId = plan.Id, kind = "backup", trigger = "schedule", phase, startedAt = started,
            endedAt = phase is "running" ? (DateTimeOffset?)null : started.AddMinutes(5),
            progress = new { filesDone = 10, filesTotal = 20, bytesDone, bytesTotal = 2000, bytesPerSecond = 100, etaSeconds = 10 },
            result = new { snapshotId = snapshot, files = 20, bytesAdded = 1500, bytesStored = 900, warnings = new[] { "/data/photos/x: permission denied" }, error },
        };
        Task<HttpResponseMessage> Put(object report) => agent.PutAsJsonAsync($"/api/v1/agent/runs/{runId}", report, Ct);

        (await Put(Report("running", 100))).StatusCode.Should().Be(HttpStatusCode.OK);
        (await Put(Report("running", 100))).StatusCode.Should().Be(HttpStatusCode.OK);
        (await Put(Report("running", 1000))).StatusCode.Should().Be(HttpStatusCode.OK);
        (await Put(Report("completed", 2000, "abc123"))).StatusCode.Should().Be(HttpStatusCode.OK);
        (await Put(Report("completed", 2000, "abc123"))).StatusCode.Should().Be(HttpStatusCode.OK); // replayed from a journal
        (await Put(Report("completed", 2000, "def456"))).StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await Put(Report("running", 1000))).StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await Put(Report("failed", 2000, error: "disk full"))).StatusCode.Should().Be(HttpStatusCode.Conflict);

        var run = await owner.Api.GetFromJsonAsync<RunResponse>($"/api/v1/instances/{instance}/runs/{runId}", Ct);
        run!.Phase.Should().Be("completed");
        run.StartedAt.Should().Be(started.AddTicks(-4567)); // kept to the millisecond, on both databases
        run.Progress.BytesDone.Should().Be(2000);
        run.Result.SnapshotId.Should().Be("abc123");
        run.Result.Warnings.Should().Equal("/data/photos/x: permission denied");

        var second = Guid.NewGuid();
        (await agent.PutAsJsonAsync($"/api/v1/agent/runs/{second}", new
        {
            planId = plan.Id, kind = "backup", trigger = "manual", phase = "pending", startedAt = started.AddHours(1),
        }, Ct)).StatusCode.Should().Be(HttpStatusCode.OK);
        var runs = await owner.Api.GetFromJsonAsync<RunResponse[]>($"/api/v1/instances/{instance}/plans/{plan.Id}/runs", Ct);
        runs!.Select(r => r.Id).Should().Equal(second, runId); // newest first

        var bad = await agent.PutAsJsonAsync($"/api/v1/agent/runs/{Guid.NewGuid()}", new { planId = plan.Id, kind = "backup", trigger = "schedule", phase = "exploded", startedAt = started }, Ct);
        bad.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await AgentClient.ProblemAsync(bad)).Should().StartWith("phase:");
    }

    [Fact]
    public async Task A_run_names_a_plan_of_the_agents_own_instance()
    {
        var owner = await SpaceClient.SignUpAsync(Space);
        var instance = await owner.RegisterInstanceAsync();
        var plan = await owner.CreatePlanAsync(instance);
        var other = await owner.RegisterInstanceAsync();
        var stranger = AgentClient.AgentApi(Space, (await owner.EnrollAgentAsync(Space, other)).Token);

        var response = await stranger.PutAsJsonAsync($"/api/v1/agent/runs/{Guid.NewGuid()}", new
        {
            planId = plan.Id, kind = "backup", trigger = "schedule", phase = "running", startedAt = Space.Clock.GetUtcNow(),
        }, Ct);
        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await AgentClient.ProblemAsync(response)).Should().StartWith("planId:");
    }

    [Fact]
    public async Task Neither_the_agent_token_nor_the_code_is_stored_in_clear()
    {
        var owner = await SpaceClient.SignUpAsync(Space);
        var instance = await owner.RegisterInstanceAsync();
        var code = await owner.MintCodeAsync(instance);
        var agent = (await (await AgentClient.EnrollAsync(Space, code)).Content.ReadFromJsonAsync<EnrollResponse>(Ct))!;
        AgentTokens.TryParse(agent.Token, out _, out var secret).Should().BeTrue();
        var api = AgentClient.AgentApi(Space, agent.Token);
        (await api.SyncAsync(null, 0)).Revision.Should().Be(0);

        var database = await DatabaseBytesAsync();
        database.Should().ContainEquivalentOf(agent.AgentId.ToString("D"), "the search finds what is there"); // a true positive first
        database.Should().ContainEquivalentOf(Cairn.Space.Hosting.Secrets.Hash(secret));
        database.Should().NotContainEquivalentOf(secret);
        database.Should().NotContainEquivalentOf(code.Replace("-", "", StringComparison.Ordinal));
    }

    // Everything the database holds, as text: SQLite's files as they lie on disk, PostgreSQL's tables through pg_dump.
    private async Task<string> DatabaseBytesAsync()
    {
        if (Space.Database == DatabaseKind.Sqlite)
        {
            var text = new StringBuilder();
            foreach (var file in Directory.GetFiles(Space.DataPath, "space.db*"))
            {
                await using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                using var reader = new StreamReader(stream, Encoding.Latin1);
                text.Append(await reader.ReadToEndAsync(Ct));
            }

            return text.ToString();
        }

        var c = new Npgsql.NpgsqlConnectionStringBuilder(Space.PostgresConnection);
        var dump = new System.Diagnostics.ProcessStartInfo("/usr/lib/postgresql/15/bin/pg_dump",
            ["--data-only", "-h", c.Host!, "-p", c.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-U", c.Username!, c.Database!])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = System.Diagnostics.Process.Start(dump)!;
        var output = await process.StandardOutput.ReadToEndAsync(Ct);
        await process.WaitForExitAsync(Ct);
        process.ExitCode.Should().Be(0, await process.StandardError.ReadToEndAsync(Ct));
        return output;
    }
}

public sealed class AgentProtocolSqliteSpace() : SpaceFixture(DatabaseKind.Sqlite, kestrel: false);

public sealed class AgentProtocolPostgresSpace() : SpaceFixture(DatabaseKind.Postgres, kestrel: false);

public sealed class AgentProtocolTestsOnSqlite(AgentProtocolSqliteSpace fixture) : AgentProtocolTests(fixture), IClassFixture<AgentProtocolSqliteSpace>;

public sealed class AgentProtocolTestsOnPostgres(AgentProtocolPostgresSpace fixture) : AgentProtocolTests(fixture), IClassFixture<AgentProtocolPostgresSpace>;

/// <summary>Enrollment attempts are limited per client address, like sign-in: codes are short enough to guess at given time.</summary>
public sealed class EnrollmentThrottleTests(EnrollmentThrottleSpace fixture) : IClassFixture<EnrollmentThrottleSpace>
{
    public const int Permits = 4;

    [Fact]
    public async Task Guessing_codes_is_refused_with_429_once_the_client_has_used_its_attempts()
    {
        for (var i = 0; i < Permits; i++)
        {
            (await AgentClient.EnrollAsync(fixture.Factory, "ABCD-EFGH")).StatusCode.Should().Be(HttpStatusCode.BadRequest);
        }

        var refused = await AgentClient.EnrollAsync(fixture.Factory, "ABCD-EFGH");
        refused.StatusCode.Should().Be(HttpStatusCode.TooManyRequests);
        refused.Headers.RetryAfter.Should().NotBeNull();
        (await AgentClient.ProblemAsync(refused)).Should().StartWith("too many enrollment attempts");
    }
}

public sealed class EnrollmentThrottleSpace() : SpaceFixture(DatabaseKind.Sqlite, kestrel: false, new Dictionary<string, string?>
{
    ["Space:SignIn:PermitsPerClient"] = EnrollmentThrottleTests.Permits.ToString(System.Globalization.CultureInfo.InvariantCulture),
});
