using Cairn.Space.Accounts;
using Cairn.Space.Backups;
using Cairn.Space.Data;
using Cairn.Space.Instances;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Space.Usage;

/// <summary>
/// Meters storage above each instance's free allowance in GB-hours per task, and prices it. Accrual is persisted
/// by the usage monitor (at least hourly) and before a task is deleted; reports add the part not yet persisted, so
/// they are exact to the moment without writing.
/// </summary>
public sealed class StorageMetering(SpaceDbContext db, SpaceSettings settings, PriceSheet prices, TimeProvider clock, ClusterGate gate)
{
    public async Task AccrueAllAsync(CancellationToken cancellationToken)
    {
        var ids = await db.Instances.Where(i => i.DeletedAt == null).Select(i => i.Id).ToListAsync(cancellationToken).ConfigureAwait(false);
        foreach (var id in ids)
        {
            await AccrueAsync(id, cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task AccrueAsync(Guid instanceId, CancellationToken cancellationToken)
    {
        // Behind the instance's gate, read fresh: a replica that accrued a moment ago moved MeteredUntil, so each
        // interval is accrued once for the whole cluster.
        var hold = await gate.EnterAsync(GateKinds.Meter, instanceId, cancellationToken).ConfigureAwait(false);
        await using (hold.ConfigureAwait(false))
        {
            var instance = await db.Instances.SingleAsync(i => i.Id == instanceId, cancellationToken).ConfigureAwait(false);
            await db.Entry(instance).ReloadAsync(cancellationToken).ConfigureAwait(false);
            var tasks = await db.Tasks.Where(t => t.InstanceId == instanceId && t.DeletedAt == null).ToListAsync(cancellationToken).ConfigureAwait(false);
            var now = clock.GetUtcNow();
            if (now < instance.MeteredUntil)
            {
                return; // the clock went back; meter again once it has passed this point
            }

            foreach (var (taskId, month, gbHours) in MeteringMath.Accrue(Bytes(tasks), settings.FreeBytesPerInstance, instance.MeteredUntil, now))
            {
                var meter = await db.StorageMeters.FindAsync([taskId, month], cancellationToken).ConfigureAwait(false);
                if (meter is null)
                {
                    meter = new StorageMeter(taskId, instanceId, month);
                    db.StorageMeters.Add(meter);
                }

                meter.Add(gbHours);
            }

            foreach (var task in tasks)
            {
                task.MarkMetered(task.StorageBytes);
            }

            instance.MarkMeteredUntil(now);
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            await hold.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>This month's usage and charges of every active instance of an account.</summary>
    public async Task<UsageReport> ReportAsync(Account account, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(account);
        var now = clock.GetUtcNow();
        var month = MeteringMath.MonthOf(now);
        var hoursInMonth = MeteringMath.HoursInMonth(now);
        var hoursLeft = MeteringMath.HoursLeftInMonth(now);

        var instances = await db.Instances.AsNoTracking().Where(i => i.AccountId == account.Id && i.DeletedAt == null)
            .OrderBy(i => i.Name).ToListAsync(cancellationToken).ConfigureAwait(false);
        var ids = instances.Select(i => i.Id).ToList();
        var tasks = await db.Tasks.AsNoTracking().Where(t => ids.Contains(t.InstanceId) && t.DeletedAt == null)
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        var meters = await db.StorageMeters.AsNoTracking().Where(m => ids.Contains(m.InstanceId) && m.Month == month)
            .ToListAsync(cancellationToken).ConfigureAwait(false);

        var lines = new List<InstanceUsage>(instances.Count);
        foreach (var instance in instances)
        {
            var own = tasks.Where(t => t.InstanceId == instance.Id).ToList();
            var used = own.Sum(t => t.StorageBytes);
            var accrued = meters.Where(m => m.InstanceId == instance.Id).Sum(m => m.OverGbHours);
            var pending = MeteringMath.Accrue(Bytes(own), settings.FreeBytesPerInstance, instance.MeteredUntil, now)
                .Where(a => a.Month == month).Sum(a => a.GbHours);
            var overBytes = MeteringMath.OverBytes(used, settings.FreeBytesPerInstance);
            var gbHoursSoFar = accrued + pending;
            var projectedGbHours = gbHoursSoFar + overBytes / MeteringMath.BytesPerGb * hoursLeft;
            lines.Add(new InstanceUsage(
                instance.Name,
                instance.Region,
                own.Count,
                used,
                settings.FreeBytesPerInstance,
                Math.Max(0, settings.FreeBytesPerInstance - used),
                overBytes,
                gbHoursSoFar,
                prices.Price(instance.Region, gbHoursSoFar / hoursInMonth),
                prices.Price(instance.Region, projectedGbHours / hoursInMonth)));
        }

        return new UsageReport(month, prices.Currency, lines, lines.Sum(l => l.ChargeSoFar), lines.Sum(l => l.ProjectedCharge),
            account.SpendingCap, account.UnpaidBalance);
    }

    private static List<(Guid, long, long)> Bytes(IEnumerable<BackupTask> tasks)
        => [.. tasks.Select(t => (t.Id, t.MeteredBytes, t.StorageBytes))];
}

/// <summary>An account's month: per instance and in total.</summary>
public sealed record UsageReport(
    string Month,
    string Currency,
    IReadOnlyList<InstanceUsage> Instances,
    decimal ChargeSoFar,
    decimal ProjectedCharge,
    decimal? SpendingCap,
    decimal UnpaidBalance);

/// <summary>One instance's storage against its free allowance, metered overage and charges this month.</summary>
public sealed record InstanceUsage(
    string Instance,
    string Region,
    int Tasks,
    long UsedBytes,
    long FreeAllowanceBytes,
    long FreeBytes,
    long OverBytes,
    decimal OverGbHours,
    decimal ChargeSoFar,
    decimal ProjectedCharge);
