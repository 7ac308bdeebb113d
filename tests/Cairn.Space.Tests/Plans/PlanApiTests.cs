using System.Net;
using System.Net.Http.Json;
using Cairn.Space.Agents;
using Cairn.Space.Plans;
using Cairn.Space.Tests.Infrastructure;

namespace Cairn.Space.Tests.Plans;

/// <summary>The owner's plan routes: validation, the instance's revision, pause and resume, Back up now, and whose plans are whose.</summary>
public abstract class PlanApiTests(SpaceFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private SpaceFactory Space => fixture.Factory;

    [Fact]
    public async Task A_plan_round_trips_with_defaults_filled_in()
    {
        var owner = await SpaceClient.SignUpAsync(Space);
        var instance = await owner.RegisterInstanceAsync();
        var created = await owner.CreatePlanAsync(instance, new
        {
            name = "Photos nightly", task = "photos", paths = new[] { "/data/photos" }, schedule = new { kind = "weekly", weekday = "Sunday", time = "04:00" },
            window = new { start = "01:00", end = "06:00" }, prune = new { schedule = new { kind = "cron", cron = "0 4 * * 0" } },
            retention = new { keepDaily = 7, keepWithin = "1y6m", keepTags = new[] { "keep" } },
        });

        created.Schedule.Should().Be(new PlanSchedule("weekly", Time: "04:00", Weekday: "sunday"));
        created.TimeZone.Should().Be("UTC");
        created.HookTimeoutSeconds.Should().Be(PlanValidation.DefaultHookTimeoutSeconds);
        created.HookFailureAborts.Should().BeTrue();
        created.Prune!.MaxUnused.Should().Be("5%");
        created.Retention.KeepTags.Should().Equal("keep");
        created.Paused.Should().BeFalse();

        var read = await owner.Api.GetFromJsonAsync<PlanResponse>($"/api/v1/instances/{instance}/plans/{created.Id}", Ct);
        read.Should().BeEquivalentTo(created);
        (await owner.Api.GetFromJsonAsync<PlanResponse[]>($"/api/v1/instances/{instance}/plans", Ct)).Should().ContainSingle()
            .Which.Id.Should().Be(created.Id);
    }

    [Theory]
    [InlineData("""{"schedule":{"kind":"fortnightly"}}""", "schedule.kind:")]
    [InlineData("""{"schedule":{"kind":"daily","time":"24:00"}}""", "schedule.time:")]
    [InlineData("""{"schedule":{"kind":"daily","time":"2:30"}}""", "schedule.time:")]
    [InlineData("""{"schedule":{"kind":"hourly","minute":60}}""", "schedule.minute:")]
    [InlineData("""{"schedule":{"kind":"weekly","weekday":"someday","time":"02:00"}}""", "schedule.weekday:")]
    [InlineData("""{"schedule":{"kind":"monthly","dayOfMonth":32,"time":"02:00"}}""", "schedule.dayOfMonth:")]
    [InlineData("""{"schedule":{"kind":"cron","cron":"61 * * * *"}}""", "schedule.cron:")]
    [InlineData("""{"schedule":{"kind":"cron","cron":"* * * *"}}""", "schedule.cron:")]
    [InlineData("""{"timeZone":"Mars/Olympus_Mons"}""", "timeZone:")]
    [InlineData("""{"task":"Photos/../x"}""", "task:")]
    [InlineData("""{"paths":[]}""", "paths:")]
    [InlineData("""{"retention":{"keepDaily":-1}}""", "retention.keepDaily:")]
    [InlineData("""{"retention":{"keepWithin":"a week"}}""", "retention.keepWithin:")]
    [InlineData("""{"window":{"start":"01:00","end":"25:00"}}""", "window.end:")]
    [InlineData("""{"prune":{"schedule":{"kind":"daily","time":"03:00"},"maxUnused":"lots"}}""", "prune.maxUnused:")]
    [InlineData("""{"hookTimeoutSeconds":0}""", "hookTimeoutSeconds:")]
    [InlineData("""{"uploadLimitKiBps":0}""", "uploadLimitKiBps:")]
    [InlineData("""{"name":""}""", "name:")]
    public async Task Bad_input_is_400_with_one_message_naming_the_field_and_nothing_is_stored(string change, string field)
    {
        var owner = await SpaceClient.SignUpAsync(Space);
        var instance = await owner.RegisterInstanceAsync();
        var plan = System.Text.Json.Nodes.JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(AgentClient.DailyPlan()))!.AsObject();
        foreach (var (key, value) in System.Text.Json.Nodes.JsonNode.Parse(change)!.AsObject())
        {
            plan[key] = value?.DeepClone();
        }

        var response = await owner.Api.PostAsync($"/api/v1/instances/{instance}/plans",
            new StringContent(plan.ToJsonString(), System.Text.Encoding.UTF8, "application/json"), Ct);

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await AgentClient.ProblemAsync(response)).Should().StartWith(field);
        (await owner.Api.GetFromJsonAsync<PlanResponse[]>($"/api/v1/instances/{instance}/plans", Ct)).Should().BeEmpty();
    }

    [Fact]
    public async Task Two_plans_may_not_share_a_task()
    {
        var owner = await SpaceClient.SignUpAsync(Space);
        var instance = await owner.RegisterInstanceAsync();
        var first = await owner.CreatePlanAsync(instance, AgentClient.DailyPlan("photos", "First"));
        var other = await owner.CreatePlanAsync(instance, AgentClient.DailyPlan("documents", "Second"));

        var again = await owner.Api.PostAsJsonAsync($"/api/v1/instances/{instance}/plans", AgentClient.DailyPlan("photos", "Again"), Ct);
        again.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await AgentClient.ProblemAsync(again)).Should().StartWith("task:").And.Contain("First");
        var moved = await owner.Api.PutAsJsonAsync($"/api/v1/instances/{instance}/plans/{other.Id}", AgentClient.DailyPlan("photos", "Second"), Ct);
        moved.StatusCode.Should().Be(HttpStatusCode.BadRequest);

        // Once the first plan is gone, its task is free again.
        (await owner.Api.DeleteAsync($"/api/v1/instances/{instance}/plans/{first.Id}", Ct)).StatusCode.Should().Be(HttpStatusCode.NoContent);
        (await owner.Api.PutAsJsonAsync($"/api/v1/instances/{instance}/plans/{other.Id}", AgentClient.DailyPlan("photos", "Second"), Ct))
            .StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Plans_made_at_once_for_one_task_leave_one_and_each_change_has_its_own_revision()
    {
        var owner = await SpaceClient.SignUpAsync(Space);
        var instance = await owner.RegisterInstanceAsync();

        var same = await Task.WhenAll(Enumerable.Range(0, 4).Select(i =>
            owner.Api.PostAsJsonAsync($"/api/v1/instances/{instance}/plans", AgentClient.DailyPlan("photos", $"Plan {i}"), Ct)));
        same.Count(r => r.StatusCode == HttpStatusCode.Created).Should().Be(1);
        same.Count(r => r.StatusCode == HttpStatusCode.BadRequest).Should().Be(3);

        var distinct = await Task.WhenAll(Enumerable.Range(0, 4).Select(i =>
            owner.Api.PostAsJsonAsync($"/api/v1/instances/{instance}/plans", AgentClient.DailyPlan($"task{i}", $"Plan {i}"), Ct)));
        distinct.Should().AllSatisfy(r => r.StatusCode.Should().Be(HttpStatusCode.Created));
        var plans = await owner.Api.GetFromJsonAsync<PlanResponse[]>($"/api/v1/instances/{instance}/plans", Ct);
        plans!.Select(p => p.Revision).Should().OnlyHaveUniqueItems().And.HaveCount(5);
    }

    [Fact]
    public async Task Every_change_raises_the_instance_revision_and_pause_and_resume_are_changes()
    {
        var owner = await SpaceClient.SignUpAsync(Space);
        var instance = await owner.RegisterInstanceAsync();
        var plan = await owner.CreatePlanAsync(instance);
        plan.Revision.Should().Be(1);

        var edited = await (await owner.Api.PutAsJsonAsync($"/api/v1/instances/{instance}/plans/{plan.Id}", AgentClient.DailyPlan("photos", "Renamed"), Ct))
            .Content.ReadFromJsonAsync<PlanResponse>(Ct);
        edited!.Revision.Should().Be(2);
        edited.Name.Should().Be("Renamed");

        var paused = await (await owner.Api.PostAsync($"/api/v1/instances/{instance}/plans/{plan.Id}/pause", null, Ct)).Content.ReadFromJsonAsync<PlanResponse>(Ct);
        paused!.Paused.Should().BeTrue();
        paused.Revision.Should().Be(3);
        var resumed = await (await owner.Api.PostAsync($"/api/v1/instances/{instance}/plans/{plan.Id}/resume", null, Ct)).Content.ReadFromJsonAsync<PlanResponse>(Ct);
        resumed!.Paused.Should().BeFalse();
        resumed.Revision.Should().Be(4);

        // A second instance counts on its own.
        var second = await owner.RegisterInstanceAsync();
        (await owner.CreatePlanAsync(second)).Revision.Should().Be(1);
    }

    [Fact]
    public async Task Back_up_now_queues_a_command_even_when_paused()
    {
        var owner = await SpaceClient.SignUpAsync(Space);
        var instance = await owner.RegisterInstanceAsync();
        var plan = await owner.CreatePlanAsync(instance);
        (await owner.Api.PostAsync($"/api/v1/instances/{instance}/plans/{plan.Id}/pause", null, Ct)).EnsureSuccessStatusCode();

        var queued = await owner.Api.PostAsync($"/api/v1/instances/{instance}/plans/{plan.Id}/backup-now", null, Ct);
        queued.StatusCode.Should().Be(HttpStatusCode.Accepted);
        var command = (await queued.Content.ReadFromJsonAsync<QueuedCommandResponse>(Ct))!;
        command.Kind.Should().Be(AgentCommandKinds.BackupNow);
        command.PlanId.Should().Be(plan.Id);
    }

    [Fact]
    public async Task An_owner_reaches_only_their_own_instances_plans()
    {
        var owner = await SpaceClient.SignUpAsync(Space);
        var instance = await owner.RegisterInstanceAsync();
        var plan = await owner.CreatePlanAsync(instance);
        var stranger = await SpaceClient.SignUpAsync(Space);

        (await stranger.Api.GetAsync($"/api/v1/instances/{instance}/plans", Ct)).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await stranger.Api.GetAsync($"/api/v1/instances/{instance}/plans/{plan.Id}", Ct)).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await stranger.Api.PostAsync($"/api/v1/instances/{instance}/plans/{plan.Id}/backup-now", null, Ct)).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await stranger.Api.PostAsync($"/api/v1/instances/{instance}/agent-codes", null, Ct)).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await stranger.Api.DeleteAsync($"/api/v1/instances/{instance}/plans/{plan.Id}", Ct)).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await Space.CreateClient().GetAsync($"/api/v1/instances/{instance}/plans", Ct)).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await owner.Api.GetAsync($"/api/v1/instances/{instance}/plans/{plan.Id}", Ct)).StatusCode.Should().Be(HttpStatusCode.OK);
    }
}

public sealed class PlanApiSqliteSpace() : SpaceFixture(DatabaseKind.Sqlite, kestrel: false);

public sealed class PlanApiPostgresSpace() : SpaceFixture(DatabaseKind.Postgres, kestrel: false);

public sealed class PlanApiTestsOnSqlite(PlanApiSqliteSpace fixture) : PlanApiTests(fixture), IClassFixture<PlanApiSqliteSpace>;

public sealed class PlanApiTestsOnPostgres(PlanApiPostgresSpace fixture) : PlanApiTests(fixture), IClassFixture<PlanApiPostgresSpace>;
