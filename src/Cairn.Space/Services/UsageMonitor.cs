using Microsoft.Extensions.DependencyInjection;

namespace Cairn.Space.Services;

/// <summary>Runs <see cref="UsageJobs"/> on its schedule: a sample every <c>Space:SampleInterval</c>, a scan every <c>Space:ReconcileInterval</c>.</summary>
public sealed class UsageMonitor(IServiceScopeFactory scopes, SpaceSettings settings, TimeProvider clock, ILogger<UsageMonitor> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!settings.UsageMonitorEnabled)
        {
            return;
        }

        var nextReconcile = clock.GetUtcNow(); // once soon after start, then on schedule
        using var timer = new PeriodicTimer(settings.SampleInterval, clock);
        do
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var jobs = scope.ServiceProvider.GetRequiredService<UsageJobs>();
                if (clock.GetUtcNow() >= nextReconcile)
                {
                    await jobs.ReconcileAsync(stoppingToken).ConfigureAwait(false);
                    nextReconcile = clock.GetUtcNow() + settings.ReconcileInterval;
                }

                await jobs.SampleAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "Usage sampling failed; trying again at the next interval");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }
}
