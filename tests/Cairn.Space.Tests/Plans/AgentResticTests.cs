using System.Net;
using System.Net.Http.Json;
using Cairn.Space.Agents;
using Cairn.Space.Tests.Infrastructure;

namespace Cairn.Space.Tests.Plans;

/// <summary>The real restic with an agent's credentials: its own instance's tasks in full, no other, and nothing once revoked.</summary>
public abstract class AgentResticTests(SpaceFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private SpaceFactory Space => fixture.Factory;

    private Restic ResticFor(EnrollResponse agent, string instance, string task)
        => new($"rest:http://{AgentTokens.RepositoryUser(agent.AgentId)}:{agent.Token}@{Space.ListenAddress.Authority}/repo/{instance}/{task}/");

    [Fact]
    public async Task An_agent_backs_up_forgets_and_prunes_its_own_tasks_and_is_cut_off_when_revoked()
    {
        var owner = await SpaceClient.SignUpAsync(Space.ListenAddress);
        var instance = await owner.RegisterInstanceAsync();
        var agent = await EnrollAsync(owner, instance);
        var photos = ResticFor(agent, instance, "photos");
        (await photos.RunAsync("init")).EnsureSuccess();
        var source = Trees.MakeSource(Space.DataPath, 200_000);
        (await photos.RunAsync("backup", source)).EnsureSuccess();
        (await photos.RunAsync("backup", source)).EnsureSuccess();
        (await photos.RunAsync("forget", "--keep-last", "1", "--prune")).EnsureSuccess();
        (await photos.RunAsync("snapshots")).EnsureSuccess().Output.Should().Contain("1 snapshots");
        (await ResticFor(agent, instance, "documents").RunAsync("init")).EnsureSuccess();

        (await owner.Api.DeleteAsync($"/api/v1/instances/{instance}/agents/{agent.AgentId}", Ct)).StatusCode.Should().Be(HttpStatusCode.NoContent);

        (await photos.RunUntilErrorShowsAsync("401", "snapshots")).Should().Contain("401");
    }

    [Fact]
    public async Task An_agent_cannot_open_another_instances_repository()
    {
        var owner = await SpaceClient.SignUpAsync(Space.ListenAddress);
        var instance = await owner.RegisterInstanceAsync();
        var other = await owner.RegisterInstanceAsync();
        var credential = await owner.MintAsync(other, task: "photos");
        (await new Restic($"rest:http://{credential.Username}:{credential.Secret}@{Space.ListenAddress.Authority}/repo/{other}/photos/")
            .RunAsync("init")).EnsureSuccess();
        var agent = await EnrollAsync(owner, instance);

        (await ResticFor(agent, other, "photos").RunUntilErrorShowsAsync("403", "snapshots")).Should().Contain("403");
    }

    private async Task<EnrollResponse> EnrollAsync(SpaceClient owner, string instance)
    {
        var code = await owner.MintCodeAsync(instance);
        using var anonymous = new HttpClient { BaseAddress = Space.ListenAddress };
        var response = await anonymous.PostAsJsonAsync("/api/v1/agent/enroll",
            new { code, hostname = "box.lan", agentVersion = "0.1.0" }, Ct);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<EnrollResponse>(Ct))!;
    }
}

public sealed class AgentResticSqliteSpace() : SpaceFixture(DatabaseKind.Sqlite, kestrel: true);

public sealed class AgentResticPostgresSpace() : SpaceFixture(DatabaseKind.Postgres, kestrel: true);

public sealed class AgentResticTestsOnSqlite(AgentResticSqliteSpace fixture) : AgentResticTests(fixture), IClassFixture<AgentResticSqliteSpace>;

public sealed class AgentResticTestsOnPostgres(AgentResticPostgresSpace fixture) : AgentResticTests(fixture), IClassFixture<AgentResticPostgresSpace>;
