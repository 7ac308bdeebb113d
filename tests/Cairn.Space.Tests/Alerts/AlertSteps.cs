using System.Net.Http.Json;
using Cairn.Space.Alerts;
using Cairn.Space.Backups;
using Cairn.Space.Data;
using Cairn.Space.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Cairn.Space.Tests.Alerts;

/// <summary>What the alert tests do to a Space: channels, run reports, usage, and the monitor's tick.</summary>
public static class AlertSteps
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static async Task<ChannelResponse> AddChannelAsync(this SpaceClient owner, object channel)
    {
        var response = await owner.Api.PostAsJsonAsync("/api/v1/alerts/channels", channel, Ct);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<ChannelResponse>(Ct))!;
    }

    /// <summary>Reports one backup run of a plan that ended now, as the agent does.</summary>
    public static async Task ReportEndedRunAsync(this HttpClient agent, SpaceFactory space, Guid planId, string phase, string? error = null)
    {
        var now = space.Clock.GetUtcNow();
        var response = await agent.PutAsJsonAsync($"/api/v1/agent/runs/{Guid.NewGuid()}", new
        {
            planId,
            kind = "backup",
            trigger = "schedule",
            phase,
            startedAt = now - TimeSpan.FromMinutes(5),
            endedAt = now,
            progress = new { filesDone = 3, filesTotal = 3, bytesDone = 100, bytesTotal = 100, bytesPerSecond = 1, etaSeconds = (long?)null },
            result = new
            {
                snapshotId = phase == "completed" ? new string('a', 64) : null,
                files = 3,
                bytesAdded = 100,
                bytesStored = 100,
                warnings = Array.Empty<string>(),
                error,
            },
        }, Ct);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Sets the bytes an instance stores (one task), as the repository protocol would after uploads.</summary>
    public static Task SetUsageAsync(this SpaceFactory space, string instance, long bytes) => ReplicaSet.InScope(space, async sp =>
    {
        var db = sp.GetRequiredService<SpaceDbContext>();
        var owned = await db.Instances.SingleAsync(i => i.Name == instance, Ct);
        var task = await sp.GetRequiredService<BackupTaskService>().GetOrCreateAsync(owned, "photos", Ct);
        task.SetStorageBytes(bytes);
        task.MarkMetered(bytes);
        await db.SaveChangesAsync(Ct);
    });

    /// <summary>A minute on, one tick of the alert monitor: evaluation (due again after a minute) and the outbox.</summary>
    public static async Task<AlertTick> TickAlertsAsync(this SpaceFactory space)
    {
        space.Clock.Advance(TimeSpan.FromMinutes(1));
        return await ReplicaSet.InScope(space, sp => sp.GetRequiredService<AlertJobs>().RunDueAsync(Ct));
    }

    /// <summary>The settings that point Space at a test SMTP server.</summary>
    public static Dictionary<string, string?> SmtpSettings(SmtpTestServer smtp) => new()
    {
        ["Space:Alerts:Smtp:Host"] = "127.0.0.1",
        ["Space:Alerts:Smtp:Port"] = smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Space:Alerts:Smtp:Tls"] = "none",
        ["Space:Alerts:Smtp:From"] = "Cairn Space <alerts@space.test>",
        ["Space:FreeBytesPerInstance"] = "1000000",
    };
}
