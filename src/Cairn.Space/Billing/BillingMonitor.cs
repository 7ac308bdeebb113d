using Microsoft.Extensions.DependencyInjection;

namespace Cairn.Space.Billing;

/// <summary>Closes ended months into bills: soon after start, then hourly. Off when the usage monitor is off (tests run it by hand).</summary>
public sealed class BillingMonitor(IServiceScopeFactory scopes, SpaceSettings settings, ILogger<BillingMonitor> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!settings.UsageMonitorEnabled)
        {
            return;
        }

        using var timer = new PeriodicTimer(TimeSpan.FromHours(1));
        do
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<MonthlyBilling>().CloseEndedMonthsAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "Monthly billing failed; trying again in an hour");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }
}
