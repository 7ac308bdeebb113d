using Cairn.Space.Cluster;
using Microsoft.Extensions.DependencyInjection;

namespace Cairn.Space.Billing;

/// <summary>
/// Closes ended months into bills: soon after the cluster first starts, then hourly, by one replica per hour (the
/// schedule in the database says which); every replica asks every five minutes. Off when the usage monitor is off
/// (tests run it by hand).
/// </summary>
public sealed class BillingMonitor(IServiceScopeFactory scopes, SpaceSettings settings, TimeProvider clock, ILogger<BillingMonitor> logger)
    : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!settings.UsageMonitorEnabled)
        {
            return;
        }

        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(5), clock);
        do
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                if (await scope.ServiceProvider.GetRequiredService<PeriodicSchedule>().TryTakeAsync(PeriodicSchedule.MonthlyBills, Interval, stoppingToken)
                        .ConfigureAwait(false))
                {
                    await scope.ServiceProvider.GetRequiredService<MonthlyBilling>().CloseEndedMonthsAsync(stoppingToken).ConfigureAwait(false);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "Monthly billing failed; trying again in an hour");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }
}
