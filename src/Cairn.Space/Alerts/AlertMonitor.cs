using Microsoft.Extensions.DependencyInjection;

namespace Cairn.Space.Alerts;

/// <summary>
/// Ticks every replica's <see cref="AlertJobs"/> four times an evaluation interval (at most every 15 seconds), so
/// queued deliveries and retries go out soon; the database gives each evaluation and each delivery to one replica.
/// </summary>
public sealed class AlertMonitor(IServiceScopeFactory scopes, AlertSettings settings, TimeProvider clock, ILogger<AlertMonitor> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!settings.MonitorEnabled)
        {
            return;
        }

        var tick = settings.EvaluateInterval / 4 < TimeSpan.FromSeconds(15) ? settings.EvaluateInterval / 4 : TimeSpan.FromSeconds(15);
        using var timer = new PeriodicTimer(tick, clock);
        do
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<AlertJobs>().RunDueAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "Alert evaluation failed; trying again at the next tick");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }
}
