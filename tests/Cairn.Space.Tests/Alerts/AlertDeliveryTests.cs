using System.Net;
using System.Net.Http.Json;
using System.Text;
using Cairn.Space.Alerts;
using Cairn.Space.Data;
using Cairn.Space.Tests.Infrastructure;
using Cairn.Space.Tests.Plans;
using Cairn.Testing.Servers;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Cairn.Space.Tests.Alerts;

/// <summary>
/// Alerts from their rules to a real SMTP server and a webhook receiver: each incident arrives once and its
/// "resolved" once; the test action; the refusal of bad channels; a failed delivery retried, not lost nor doubled.
/// </summary>
public abstract class AlertDeliveryTests(AlertSpace fixture)
{
    private const string Secret = "hook-signing-key";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private SpaceFactory Space => fixture.Factory;

    [Fact]
    public async Task Missed_backup_failed_run_and_80_percent_usage_alerts_arrive_by_mail_and_webhook_once_each_then_resolved()
    {
        await using var hook = new WebhookReceiver();
        var owner = await SpaceClient.SignUpAsync(Space);
        var instance = await owner.RegisterInstanceAsync();
        var agent = AgentClient.AgentApi(Space, (await owner.EnrollAgentAsync(Space, instance)).Token);
        var plan = await owner.CreatePlanAsync(instance); // daily: the alert comes after a day plus twice a day
        await owner.AddChannelAsync(new { kind = "email", address = owner.Email });
        await owner.AddChannelAsync(new { kind = "webhook", url = hook.Url, secret = Secret });

        await Space.TickAlertsAsync();
        hook.Received.Should().BeEmpty("nothing fires yet");

        await agent.ReportEndedRunAsync(Space, plan.Id, "failed", "could not read /data/photos: permission denied");
        await Space.TickAlertsAsync();
        await Space.SetUsageAsync(instance, 850_000); // 85% of the 1 MB allowance
        await Space.TickAlertsAsync();
        Space.Clock.Advance(TimeSpan.FromDays(3) + TimeSpan.FromMinutes(5)); // past 1 day + 2 days of grace
        await agent.SyncAsync(null, 0); // the agent is in touch: only the backup is overdue
        await Space.TickAlertsAsync();
        await Space.TickAlertsAsync();

        string[] kinds = [AlertRules.FailedRun, AlertRules.Usage80, AlertRules.MissedBackup];
        Kinds(hook, AlertStates.Firing).Should().BeEquivalentTo(kinds, "each incident is sent once");
        Kinds(hook, AlertStates.Resolved).Should().BeEmpty();
        var mail = fixture.Smtp.MessagesTo(owner.Email);
        mail.Select(m => m.Subject).Should().BeEquivalentTo(
            ["[Cairn Space] Backup failed: " + instance + " / " + plan.Name,
             "[Cairn Space] Usage past 80% of the free allowance: " + instance,
             "[Cairn Space] Backup overdue: " + instance + " / " + plan.Name]);
        mail.Single(m => m.Subject!.Contains("failed", StringComparison.Ordinal)).TextBody!.Should().Contain("permission denied");
        mail.Single(m => m.Subject!.Contains("overdue", StringComparison.Ordinal)).TextBody!.Should().Contain("no successful backup");
        foreach (var request in hook.Received)
        {
            request.Headers[WebhookSender.SignatureHeader].Should().Be(WebhookSender.Signature(Secret, Encoding.UTF8.GetBytes(request.Body)));
        }

        var failed = hook.Bodies.Single(b => b.GetProperty("kind").GetString() == AlertRules.FailedRun);
        failed.GetProperty("account").GetString().Should().Be(owner.Email);
        failed.GetProperty("instance").GetString().Should().Be(instance);
        failed.GetProperty("plan").GetString().Should().Be(plan.Name);
        failed.GetProperty("message").GetString().Should().Contain("permission denied");

        var open = await owner.Api.GetFromJsonAsync<AlertsResponse>("/api/v1/alerts", Ct);
        open!.OpenCount.Should().Be(3);

        // A completed backup clears the failure and the overdue plan; usage under 80% clears the third.
        await agent.ReportEndedRunAsync(Space, plan.Id, "completed");
        await Space.SetUsageAsync(instance, 100_000);
        await Space.TickAlertsAsync();
        await Space.TickAlertsAsync();
        await Space.TickAlertsAsync();

        Kinds(hook, AlertStates.Firing).Should().BeEquivalentTo(kinds);
        Kinds(hook, AlertStates.Resolved).Should().BeEquivalentTo(kinds, "each incident is resolved once");
        var resolvedMail = fixture.Smtp.MessagesTo(owner.Email).Where(m => m.Subject!.StartsWith("[Cairn Space] Resolved: ", StringComparison.Ordinal));
        resolvedMail.Should().HaveCount(3);
        fixture.Smtp.MessagesTo(owner.Email).Should().HaveCount(6);

        var after = await owner.Api.GetFromJsonAsync<AlertsResponse>("/api/v1/alerts", Ct);
        after!.OpenCount.Should().Be(0);
        after.Incidents.Should().HaveCount(3).And.OnlyContain(i => i.State == "resolved" && i.Deliveries.Count == 4 && i.Deliveries.All(d => d.SentAt != null));
    }

    [Fact]
    public async Task A_paused_plan_never_alerts_as_overdue_a_resumed_one_counts_anew_and_a_silent_agent_alerts_after_its_silence()
    {
        await using var hook = new WebhookReceiver();
        var owner = await SpaceClient.SignUpAsync(Space);
        var instance = await owner.RegisterInstanceAsync();
        await owner.EnrollAgentAsync(Space, instance);
        var plan = await owner.CreatePlanAsync(instance);
        (await owner.Api.PostAsync($"/api/v1/instances/{instance}/plans/{plan.Id}/pause", null, Ct)).EnsureSuccessStatusCode();
        (await owner.Api.PutAsJsonAsync("/api/v1/alerts/settings", new { agentSilenceMinutes = 120 }, Ct)).EnsureSuccessStatusCode();
        await owner.AddChannelAsync(new { kind = "webhook", url = hook.Url });

        Space.Clock.Advance(TimeSpan.FromDays(5));
        await Space.TickAlertsAsync();
        await Space.TickAlertsAsync();

        Kinds(hook, AlertStates.Firing).Should().Equal(AlertRules.AgentSilent);
        hook.Received.Single().Headers.ContainsKey(WebhookSender.SignatureHeader).Should().BeFalse("no secret, no signature");

        // Resumed after five days: the plan gets its interval and grace again before it is overdue.
        (await owner.Api.PostAsync($"/api/v1/instances/{instance}/plans/{plan.Id}/resume", null, Ct)).EnsureSuccessStatusCode();
        await Space.TickAlertsAsync();
        Kinds(hook, AlertStates.Firing).Should().Equal(AlertRules.AgentSilent);
        Space.Clock.Advance(TimeSpan.FromDays(3));
        await Space.TickAlertsAsync();
        Kinds(hook, AlertStates.Firing).Should().Equal(AlertRules.AgentSilent, AlertRules.MissedBackup);
        hook.Bodies[1].GetProperty("message").GetString().Should().Contain("since it was last changed on");
    }

    [Fact]
    public async Task A_failed_delivery_is_tried_again_after_a_back_off_and_arrives_once()
    {
        await using var hook = new WebhookReceiver();
        var owner = await SpaceClient.SignUpAsync(Space);
        var instance = await owner.RegisterInstanceAsync();
        await owner.AddChannelAsync(new { kind = "webhook", url = hook.Url });
        hook.FailNext(HttpStatusCode.InternalServerError);
        hook.FailNext(HttpStatusCode.BadGateway);

        await Space.SetUsageAsync(instance, 1_200_000); // past 80% and 100%
        await Space.TickAlertsAsync(); // both fail (500, 502)
        hook.Received.Should().BeEmpty();
        var waiting = (await owner.Api.GetFromJsonAsync<AlertsResponse>("/api/v1/alerts", Ct))!.Incidents.SelectMany(i => i.Deliveries).ToList();
        waiting.Should().HaveCount(2).And.OnlyContain(d => d.SentAt == null && d.Attempts == 1 && d.LastError!.Contains("answered 5", StringComparison.Ordinal));

        await Space.TickAlertsAsync(); // a minute later: the back-off (one minute) has passed
        await Space.TickAlertsAsync();
        Kinds(hook, AlertStates.Firing).Should().BeEquivalentTo([AlertRules.Usage80, AlertRules.Usage100]);
    }

    [Fact]
    public async Task A_message_still_queued_for_a_removed_channel_is_dropped_not_sent()
    {
        await using var hook = new WebhookReceiver();
        var owner = await SpaceClient.SignUpAsync(Space);
        var instance = await owner.RegisterInstanceAsync();
        var channel = await owner.AddChannelAsync(new { kind = "webhook", url = hook.Url });
        hook.FailNext(HttpStatusCode.ServiceUnavailable);
        hook.FailNext(HttpStatusCode.ServiceUnavailable);
        await Space.SetUsageAsync(instance, 1_000_000); // 80% and 100%: both wait for their next attempt
        await Space.TickAlertsAsync();

        (await owner.Api.DeleteAsync($"/api/v1/alerts/channels/{channel.Id}", Ct)).EnsureSuccessStatusCode();
        await Space.TickAlertsAsync();
        await Space.TickAlertsAsync();

        hook.Received.Should().BeEmpty();
        var deliveries = (await owner.Api.GetFromJsonAsync<AlertsResponse>("/api/v1/alerts", Ct))!.Incidents.SelectMany(i => i.Deliveries).ToList();
        deliveries.Should().HaveCount(2).And.OnlyContain(d => d.LastError == "the channel was removed before this message went out");
    }

    [Fact]
    public async Task The_test_action_delivers_and_reports_an_unreachable_channel_in_plain_words()
    {
        await using var hook = new WebhookReceiver();
        var owner = await SpaceClient.SignUpAsync(Space);
        var good = await owner.AddChannelAsync(new { kind = "webhook", url = hook.Url });
        var mail = await owner.AddChannelAsync(new { kind = "email", address = owner.Email });
        var deadPort = FreePort.Next();
        var dead = await owner.AddChannelAsync(new { kind = "push", url = $"http://127.0.0.1:{deadPort}/cairn", token = "tk_123" });
        dead.Target.Should().Be($"http://127.0.0.1:{deadPort}/cairn");
        dead.HasSecret.Should().BeTrue();

        (await TestAsync(owner, good.Id)).Should().Be(new ChannelTestResponse(true, null));
        hook.Bodies.Single().GetProperty("kind").GetString().Should().Be("test");
        (await TestAsync(owner, mail.Id)).Delivered.Should().BeTrue();
        fixture.Smtp.MessagesTo(owner.Email).Single().Subject.Should().Be("[Cairn Space] Test message");

        var failure = await TestAsync(owner, dead.Id);
        failure.Delivered.Should().BeFalse();
        failure.Error.Should().StartWith($"could not reach http://127.0.0.1:{deadPort}/cairn: ").And.Contain("refused");
    }

    [Fact]
    public async Task Push_channels_speak_ntfy_and_gotify()
    {
        await using var push = new WebhookReceiver();
        var owner = await SpaceClient.SignUpAsync(Space);
        var ntfy = await owner.AddChannelAsync(new { kind = "push", url = push.Url + "backups", token = "tk_ntfy" });
        var gotify = await owner.AddChannelAsync(new { kind = "push", flavor = "gotify", url = push.Url + "message", token = "gotify-app-token" });
        ntfy.Name.Should().Be("ntfy at 127.0.0.1");

        (await TestAsync(owner, ntfy.Id)).Delivered.Should().BeTrue();
        (await TestAsync(owner, gotify.Id)).Delivered.Should().BeTrue();

        var (toNtfy, toGotify) = (push.Received[0], push.Received[1]);
        toNtfy.Path.Should().Be("/hook/backups");
        toNtfy.Body.Should().Be("A test message from Cairn Space: this channel works.");
        toNtfy.Headers["Title"].Should().Be("Test message");
        toNtfy.Headers["Priority"].Should().Be("4");
        toNtfy.Headers["Authorization"].Should().Be("Bearer tk_ntfy");
        toNtfy.Headers["Content-Type"].Should().StartWith("text/plain");
        toGotify.Path.Should().Be("/hook/message");
        toGotify.Headers["X-Gotify-Key"].Should().Be("gotify-app-token");
        var body = System.Text.Json.JsonDocument.Parse(toGotify.Body).RootElement;
        body.GetProperty("title").GetString().Should().Be("Test message");
        body.GetProperty("priority").GetInt32().Should().Be(8);
    }

    [Fact]
    public async Task A_plan_s_own_grace_brings_the_overdue_alert_sooner()
    {
        await using var hook = new WebhookReceiver();
        var owner = await SpaceClient.SignUpAsync(Space);
        var instance = await owner.RegisterInstanceAsync();
        var agent = AgentClient.AgentApi(Space, (await owner.EnrollAgentAsync(Space, instance)).Token);
        var plan = await owner.CreatePlanAsync(instance);
        await owner.AddChannelAsync(new { kind = "webhook", url = hook.Url });
        (await owner.Api.PutAsJsonAsync($"/api/v1/alerts/plans/{plan.Id}/grace", new { graceMinutes = 60 }, Ct)).StatusCode
            .Should().Be(HttpStatusCode.NoContent);
        var other = await SpaceClient.SignUpAsync(Space);
        (await other.Api.PutAsJsonAsync($"/api/v1/alerts/plans/{plan.Id}/grace", new { graceMinutes = 60 }, Ct)).StatusCode
            .Should().Be(HttpStatusCode.NotFound, "another account's plan");

        Space.Clock.Advance(TimeSpan.FromHours(24)); // a day: within a day and an hour
        await agent.SyncAsync(null, 0);
        await Space.TickAlertsAsync();
        hook.Received.Should().BeEmpty();

        Space.Clock.Advance(TimeSpan.FromMinutes(61));
        await agent.SyncAsync(null, 0);
        await Space.TickAlertsAsync();
        hook.Bodies.Should().ContainSingle().Which.GetProperty("message").GetString().Should()
            .Contain("has had no successful backup since it was made").And.Contain("it runs every 1 day; the alert comes after 25 hours");
        (await owner.Api.GetFromJsonAsync<AlertSettingsResponse>("/api/v1/alerts/settings", Ct))!.PlanGraces.Should().ContainSingle()
            .Which.Should().Be(new PlanGraceResponse(plan.Id, plan.Name, 60));
    }

    [Fact]
    public async Task A_bad_channel_is_refused_with_one_clear_message_and_nothing_is_stored()
    {
        var owner = await SpaceClient.SignUpAsync(Space);
        (string Expected, object Body)[] cases =
        [
            ("kind: one of email, webhook, push", new { kind = "pager", url = "https://example.org" }),
            ("url: an http:// or https:// address", new { kind = "webhook", url = "ftp://example.org/hook" }),
            ("url: an http:// or https:// address", new { kind = "push", url = "not a url" }),
            ("url: a user name or password in the URL is refused", new { kind = "webhook", url = "https://me:pw@example.org/hook" }),
            ("address: an e-mail address", new { kind = "email", address = "nobody" }),
            ("flavor: one of ntfy, gotify", new { kind = "push", url = "https://ntfy.sh/x", flavor = "pushover" }),
        ];
        foreach (var (expected, body) in cases)
        {
            var response = await owner.Api.PostAsJsonAsync("/api/v1/alerts/channels", body, Ct);
            response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
            (await AgentClient.ProblemAsync(response)).Should().StartWith(expected);
        }

        var settings = await owner.Api.PutAsJsonAsync("/api/v1/alerts/settings", new { agentSilenceMinutes = 1 }, Ct);
        settings.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await AgentClient.ProblemAsync(settings)).Should().StartWith("agentSilenceMinutes: 5 to");

        (await owner.Api.GetFromJsonAsync<ChannelResponse[]>("/api/v1/alerts/channels", Ct)).Should().BeEmpty();
        (await owner.Api.GetFromJsonAsync<AlertSettingsResponse>("/api/v1/alerts/settings", Ct))!.AgentSilenceMinutes.Should().Be(24 * 60);
        var stored = await ReplicaSet.InScope(Space, async sp =>
        {
            var db = sp.GetRequiredService<SpaceDbContext>();
            var account = await db.Accounts.SingleAsync(a => a.Email == owner.Email, Ct);
            return (await db.AlertChannels.CountAsync(c => c.AccountId == account.Id, Ct), await db.AlertPreferences.CountAsync(p => p.AccountId == account.Id, Ct));
        });
        stored.Should().Be((0, 0), "a refused request stores nothing, not even deleted rows");
    }

    [Fact]
    public async Task Channels_belong_to_their_account_and_need_a_signed_in_owner()
    {
        var owner = await SpaceClient.SignUpAsync(Space);
        var other = await SpaceClient.SignUpAsync(Space);
        var channel = await owner.AddChannelAsync(new { kind = "push", flavor = "gotify", url = "https://gotify.example.org/message?token=abc" });
        channel.Target.Should().Be("https://gotify.example.org/message?…", "query values are never shown back");

        (await other.Api.GetFromJsonAsync<ChannelResponse[]>("/api/v1/alerts/channels", Ct)).Should().BeEmpty();
        (await other.Api.PostAsync($"/api/v1/alerts/channels/{channel.Id}/test", null, Ct)).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await other.Api.DeleteAsync($"/api/v1/alerts/channels/{channel.Id}", Ct)).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await Space.CreateClient().GetAsync("/api/v1/alerts", Ct)).StatusCode.Should().Be(HttpStatusCode.Unauthorized);

        (await owner.Api.DeleteAsync($"/api/v1/alerts/channels/{channel.Id}", Ct)).StatusCode.Should().Be(HttpStatusCode.NoContent);
        (await owner.Api.GetFromJsonAsync<ChannelResponse[]>("/api/v1/alerts/channels", Ct)).Should().BeEmpty();
    }

    private static async Task<ChannelTestResponse> TestAsync(SpaceClient owner, Guid channel)
    {
        var response = await owner.Api.PostAsync($"/api/v1/alerts/channels/{channel}/test", null, Ct);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<ChannelTestResponse>(Ct))!;
    }

    private static List<string> Kinds(WebhookReceiver hook, string state)
        => [.. hook.Bodies.Where(b => b.GetProperty("state").GetString() == state).Select(b => b.GetProperty("kind").GetString()!)];
}

public sealed class AlertDeliveryTestsOnSqlite(AlertSqliteSpace fixture) : AlertDeliveryTests(fixture), IClassFixture<AlertSqliteSpace>;

public sealed class AlertDeliveryTestsOnPostgres(AlertPostgresSpace fixture) : AlertDeliveryTests(fixture), IClassFixture<AlertPostgresSpace>;
