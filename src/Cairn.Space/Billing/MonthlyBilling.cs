using System.Globalization;
using Cairn.Space.Data;
using Cairn.Space.Usage;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Space.Billing;

/// <summary>
/// Turns the storage metering of every ended month into a bill per account. A bill of at least 1.00 is charged to
/// the ledger; a smaller one is carried into the next month's bill. Each month is billed once (a unique index says
/// so too), so running this again, or after a restart, bills nothing twice.
/// </summary>
public sealed class MonthlyBilling(
    SpaceDbContext db,
    StorageMetering metering,
    PriceSheet prices,
    ClusterGate gate,
    TimeProvider clock,
    ILogger<MonthlyBilling> logger)
{
    /// <summary>Bills every month that has ended and has no bill yet; returns how many bills were made.</summary>
    public async Task<int> CloseEndedMonthsAsync(CancellationToken cancellationToken)
    {
        // Meter up to now first, so the last hours of an ended month are in its meters.
        await metering.AccrueAllAsync(cancellationToken).ConfigureAwait(false);
        var currentMonth = MeteringMath.MonthStart(clock.GetUtcNow());
        var accounts = await db.Accounts.AsNoTracking().Select(a => new { a.Id, a.CreatedAt })
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        var made = 0;
        foreach (var account in accounts)
        {
            made += await CloseAsync(account.Id, account.CreatedAt, currentMonth, cancellationToken).ConfigureAwait(false);
        }

        return made;
    }

    public async Task<IReadOnlyList<MonthlyBill>> BillsAsync(Guid accountId, CancellationToken cancellationToken)
    {
        var bills = await db.Bills.AsNoTracking().Where(b => b.AccountId == accountId).ToListAsync(cancellationToken).ConfigureAwait(false);
        return [.. bills.OrderBy(b => b.Month, StringComparer.Ordinal)];
    }

    /// <summary>Bills the account's ended months through its balance gate, so replicas running this at once bill each month once.</summary>
    private async Task<int> CloseAsync(Guid accountId, DateTimeOffset createdAt, DateTimeOffset currentMonth, CancellationToken cancellationToken)
    {
        var hold = await gate.EnterAsync(GateKinds.Balance, accountId, cancellationToken).ConfigureAwait(false);
        await using (hold.ConfigureAwait(false))
        {
            var made = await CloseUnderGateAsync(accountId, createdAt, currentMonth, cancellationToken).ConfigureAwait(false);
            await hold.CommitAsync(cancellationToken).ConfigureAwait(false);
            return made;
        }
    }

    private async Task<int> CloseUnderGateAsync(Guid accountId, DateTimeOffset createdAt, DateTimeOffset currentMonth, CancellationToken cancellationToken)
    {
        var bills = await BillsAsync(accountId, cancellationToken).ConfigureAwait(false);
        var last = bills.Count == 0 ? null : bills[^1];
        var month = last is null
            ? MeteringMath.MonthStart(createdAt)
            : DateTimeOffset.ParseExact(last.Month, "yyyy-MM", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal).AddMonths(1);
        var carried = last?.CarriedOut ?? 0;
        var made = 0;
        for (; month < currentMonth; month = month.AddMonths(1))
        {
            var name = MeteringMath.MonthOf(month);
            var bill = new MonthlyBill(accountId, name, await StorageChargeAsync(accountId, month, cancellationToken).ConfigureAwait(false),
                carried, clock.GetUtcNow());
            db.Bills.Add(bill);
            if (bill.Charged)
            {
                db.Ledger.Add(LedgerEntry.Bill(accountId, bill.CreatedAt, bill.Amount,
                    bill.CarriedIn > 0 ? $"Storage, {name} (with {bill.CarriedIn:0.00} carried from earlier months)" : $"Storage, {name}",
                    bill.Id));
            }

            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);

            logger.LogInformation("Account {AccountId} billed {Amount} for {Month} (charged: {Charged})", accountId, bill.Amount, name, bill.Charged);
            carried = bill.CarriedOut;
            made++;
        }

        return made;
    }

    /// <summary>The month's metered GB-hours of each of the account's instances (removed ones too), priced per region.</summary>
    private async Task<decimal> StorageChargeAsync(Guid accountId, DateTimeOffset month, CancellationToken cancellationToken)
    {
        var name = MeteringMath.MonthOf(month);
        var hours = MeteringMath.HoursInMonth(month);
        var instances = await db.Instances.AsNoTracking().Where(i => i.AccountId == accountId)
            .Select(i => new { i.Id, i.Region }).ToListAsync(cancellationToken).ConfigureAwait(false);
        var ids = instances.Select(i => i.Id).ToList();
        var meters = await db.StorageMeters.AsNoTracking().Where(m => ids.Contains(m.InstanceId) && m.Month == name)
            .Select(m => new { m.InstanceId, m.OverGbHours }).ToListAsync(cancellationToken).ConfigureAwait(false);
        return instances.Sum(i => prices.Price(i.Region, meters.Where(m => m.InstanceId == i.Id).Sum(m => m.OverGbHours) / hours));
    }
}
