using Cairn.Space.Backups;
using Microsoft.Extensions.DependencyInjection;

namespace Cairn.Space.Usage;

/// <summary>
/// Runs <see cref="UsageJobs"/> on its schedule: a sample every <c>Space:SampleInterval</c>, a scan every
/// <c>Space:ReconcileInterval</c>, once per interval for the whole cluster. Every replica ticks four times an interval
/// (at most a minute apart) and runs only what it took from the schedule in the database.
/// </summary>
public sealed class UsageMonitor(IServiceScopeFactory scopes, SpaceSettings settings, TimeProvider clock, ILogger<UsageMonitor> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!settings.UsageMonitorEnabled)
        {
            return;
        }

        var tick = settings.SampleInterval / 4 < TimeSpan.FromMinutes(1) ? settings.SampleInterval / 4 : TimeSpan.FromMinutes(1);
        using var timer = new PeriodicTimer(tick, clock);
        do
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<UsageJobs>().RunDueAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "Usage sampling failed; trying again at the next interval");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }
}
