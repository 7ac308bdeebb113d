using Cairn.Space.Accounts;
using Cairn.Space.Backups;
using Cairn.Space.Data;
using Cairn.Space.Usage;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Space.Billing;

/// <summary>
/// An account's balance as the sum of its ledger entries. Whatever moves the balance does so through the account's
/// <see cref="ClusterGate"/> (<see cref="GateKinds.Balance"/>), so a balance checked is still the balance when the
/// entry is written, whichever replica writes it.
/// </summary>
public sealed class Ledger(SpaceDbContext db, ClusterGate gate, TimeProvider clock, ILogger<Ledger> logger)
{
    public async Task<decimal> BalanceAsync(Guid accountId, CancellationToken cancellationToken)
    {
        // Summed here, not in SQL: SQLite keeps decimals as text and cannot add them exactly.
        var amounts = await db.Ledger.AsNoTracking().Where(e => e.AccountId == accountId).Select(e => e.Amount)
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        return amounts.Sum();
    }

    /// <summary>Every entry of the account, oldest first.</summary>
    public async Task<IReadOnlyList<LedgerEntry>> EntriesAsync(Guid accountId, CancellationToken cancellationToken)
    {
        var entries = await db.Ledger.AsNoTracking().Where(e => e.AccountId == accountId)
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        return [.. entries.OrderBy(e => e.At).ThenBy(e => e.Kind)];
    }

    /// <summary>
    /// Adds money to an account: by the operator (<paramref name="reference"/> names them, <paramref name="reason"/> says why)
    /// or after a payment provider collected it.
    /// </summary>
    public async Task<LedgerEntry> TopUpAsync(Guid accountId, decimal amount, string reference, CancellationToken cancellationToken,
        string? reason = null)
    {
        if (amount <= 0 || decimal.Round(amount, 2) != amount)
        {
            throw new DomainRuleException("a top-up is a positive amount in whole cents");
        }

        var hold = await gate.EnterAsync(GateKinds.Balance, accountId, cancellationToken).ConfigureAwait(false);
        await using (hold.ConfigureAwait(false))
        {
            var entry = LedgerEntry.TopUp(accountId, clock.GetUtcNow(), amount, reference, reason);
            db.Ledger.Add(entry);
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            await hold.CommitAsync(cancellationToken).ConfigureAwait(false);
            logger.LogInformation("Account {AccountId} topped up by {Amount} ({Reference})", accountId, amount, reference);
            return entry;
        }
    }

    /// <summary>The balances of the accounts named (an account with no entry has 0).</summary>
    public async Task<IReadOnlyDictionary<Guid, decimal>> BalancesAsync(IReadOnlyCollection<Guid> accountIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(accountIds);
        var rows = await db.Ledger.AsNoTracking().Where(e => accountIds.Contains(e.AccountId)).Select(e => new { e.AccountId, e.Amount })
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        var sums = accountIds.ToDictionary(id => id, _ => 0m);
        foreach (var row in rows)
        {
            sums[row.AccountId] += row.Amount;
        }

        return sums;
    }

    public async Task<Account> AccountByEmailAsync(string email, CancellationToken cancellationToken)
    {
        var normalized = Account.NormalizeEmail(email);
        return await db.Accounts.AsNoTracking().SingleOrDefaultAsync(a => a.Email == normalized, cancellationToken).ConfigureAwait(false)
               ?? throw new NotFoundException("no such account");
    }
}
