using Cairn.Space.Alerts;
using Cairn.Space.Tests.Infrastructure;
using Cairn.Space.Tests.Plans;
using Microsoft.Extensions.DependencyInjection;
using static Cairn.Space.Tests.Infrastructure.ReplicaSet;

namespace Cairn.Space.Tests.Alerts;

/// <summary>
/// Two Space replicas on one PostgreSQL database, ticking at the same moments: every incident is opened once, sent
/// once to each channel, resolved once, whichever replica evaluates or sends.
/// </summary>
public sealed class AlertReplicaTests : IAsyncLifetime
{
    private SmtpTestServer? _smtp;
    private ReplicaSet? _replicas;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private ReplicaSet Replicas => _replicas!;

    public async ValueTask InitializeAsync()
    {
        _smtp = await SmtpTestServer.StartAsync();
        _replicas = new ReplicaSet(2, i => new Dictionary<string, string?>(AlertSteps.SmtpSettings(_smtp)) { ["Space:Cluster:ReplicaId"] = $"replica-{i}" });
        await _replicas.StartAsync(Ct);
    }

    public async ValueTask DisposeAsync()
    {
        if (_replicas is not null)
        {
            await _replicas.DisposeAsync();
        }

        if (_smtp is not null)
        {
            await _smtp.DisposeAsync();
        }
    }

    [Fact]
    public async Task Two_replicas_ticking_together_send_each_alert_and_each_resolution_once()
    {
        await using var hook = new WebhookReceiver();
        var owner = await SpaceClient.SignUpAsync(Replicas[0]);
        var instance = await owner.RegisterInstanceAsync();
        var agent = AgentClient.AgentApi(Replicas[1], (await owner.EnrollAgentAsync(Replicas[0], instance)).Token);
        var plan = await owner.CreatePlanAsync(instance);
        await owner.AddChannelAsync(new { kind = "email", address = owner.Email });
        await owner.AddChannelAsync(new { kind = "webhook", url = hook.Url });

        await agent.ReportEndedRunAsync(Replicas[1], plan.Id, "failed", "disk full");
        await Replicas[0].SetUsageAsync(instance, 900_000);
        for (var i = 0; i < 4; i++)
        {
            await TickBothAsync();
        }

        await agent.ReportEndedRunAsync(Replicas[1], plan.Id, "completed");
        await Replicas[0].SetUsageAsync(instance, 10);
        for (var i = 0; i < 4; i++)
        {
            await TickBothAsync();
        }

        var sent = hook.Bodies.Select(b => $"{b.GetProperty("kind").GetString()} {b.GetProperty("state").GetString()}").ToList();
        sent.Should().BeEquivalentTo(["failed-run firing", "usage-80 firing", "failed-run resolved", "usage-80 resolved"]);
        _smtp!.MessagesTo(owner.Email).Should().HaveCount(4);
    }

    /// <summary>A minute on for both replicas, then each ticks twice, all at once.</summary>
    private async Task TickBothAsync()
    {
        foreach (var replica in Replicas)
        {
            replica.Clock.Advance(TimeSpan.FromMinutes(1));
        }

        await Task.WhenAll(Enumerable.Range(0, 4).Select(i => Task.Run(() => InScope(Replicas[i % 2],
            sp => sp.GetRequiredService<AlertJobs>().RunDueAsync(Ct)), Ct)));
    }
}
