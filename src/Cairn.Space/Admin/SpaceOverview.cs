using Cairn.Space.Accounts;
using Cairn.Space.Billing;
using Cairn.Space.CloudRestore;
using Cairn.Space.Data;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Space.Admin;

/// <summary>
/// What the operator sees across the Space: accounts with their balances, every backup instance with its stored
/// bytes, every cloud instance, and what needs attention (failed or waiting cloud jobs, locked accounts, unpaid
/// balances). Read-only; actions stay with the services that own them (<see cref="AccountService"/>, <see cref="Ledger"/>).
/// </summary>
public sealed class SpaceOverview(SpaceDbContext db, Ledger ledger, TimeProvider clock)
{
    public const int DefaultTake = 100;

    public async Task<IReadOnlyList<AccountSummary>> AccountsAsync(IReadOnlyList<Account> accounts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(accounts);
        var ids = accounts.Select(a => a.Id).ToList();
        var balances = await ledger.BalancesAsync(ids, cancellationToken).ConfigureAwait(false);
        var instances = await db.Instances.AsNoTracking().Where(i => ids.Contains(i.AccountId) && i.DeletedAt == null)
            .GroupBy(i => i.AccountId).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, cancellationToken)
            .ConfigureAwait(false);
        var clouds = await db.CloudInstances.AsNoTracking().Where(c => ids.Contains(c.AccountId) && c.ReleasedAt == null)
            .GroupBy(c => c.AccountId).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, cancellationToken)
            .ConfigureAwait(false);
        return [.. accounts.Select(a => new AccountSummary(a, balances[a.Id], instances.GetValueOrDefault(a.Id), clouds.GetValueOrDefault(a.Id)))];
    }

    /// <summary>Every active backup instance, its owner, tasks and stored bytes, largest first.</summary>
    public async Task<IReadOnlyList<InstanceStorage>> InstancesAsync(CancellationToken cancellationToken)
    {
        var instances = await (from i in db.Instances.AsNoTracking()
                               join a in db.Accounts.AsNoTracking() on i.AccountId equals a.Id
                               where i.DeletedAt == null
                               select new { i.Id, i.Name, i.Region, i.CreatedAt, a.Email }).ToListAsync(cancellationToken).ConfigureAwait(false);
        var tasks = await db.Tasks.AsNoTracking().Where(t => t.DeletedAt == null)
            .Select(t => new { t.InstanceId, t.StorageBytes, t.LatestSnapshotAt }).ToListAsync(cancellationToken).ConfigureAwait(false);
        var byInstance = tasks.ToLookup(t => t.InstanceId);
        return
        [
            .. instances.Select(i => new InstanceStorage(i.Name, i.Email, i.Region, i.CreatedAt, byInstance[i.Id].Count(),
                    byInstance[i.Id].Sum(t => t.StorageBytes), byInstance[i.Id].Max(t => t.LatestSnapshotAt)))
                .OrderByDescending(i => i.StoredBytes).ThenBy(i => i.Name, StringComparer.Ordinal),
        ];
    }

    /// <summary>Cloud instances of every account, newest first: those holding a name, then at most <paramref name="take"/> ended ones.</summary>
    public async Task<IReadOnlyList<OwnedCloudInstance>> CloudInstancesAsync(int take, CancellationToken cancellationToken)
    {
        var rows = await (from c in db.CloudInstances.AsNoTracking()
                          join a in db.Accounts.AsNoTracking() on c.AccountId equals a.Id
                          select new { Instance = c, a.Email }).ToListAsync(cancellationToken).ConfigureAwait(false);
        var ordered = rows.OrderByDescending(r => r.Instance.CreatedAt).Select(r => new OwnedCloudInstance(r.Instance, r.Email)).ToList();
        return [.. ordered.Where(r => r.Instance.ReleasedAt is null), .. ordered.Where(r => r.Instance.ReleasedAt is not null).Take(take)];
    }

    /// <summary>
    /// What needs the operator: cloud jobs that failed or wait for their owner (Errored, Restore_error, with the
    /// reason recorded), accounts whose sign-in is locked, accounts with an unpaid balance; and the latest cloud jobs.
    /// </summary>
    public async Task<SpaceActivity> ActivityAsync(int take, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var clouds = await CloudInstancesAsync(take, cancellationToken).ConfigureAwait(false);
        var attention = clouds.Where(c => c.Instance.State is CloudInstanceState.Errored or CloudInstanceState.RestoreError).ToList();
        // Compared here, not in SQL: SQLite keeps decimals as text.
        var flagged = (await db.Accounts.AsNoTracking().ToListAsync(cancellationToken).ConfigureAwait(false))
            .Where(a => a.LockedUntil is not null || a.UnpaidBalance > 0).ToList();
        var locked = flagged.Where(a => a.IsLockedAt(now)).OrderBy(a => a.Email, StringComparer.Ordinal).ToList();
        var unpaid = flagged.Where(a => a.UnpaidBalance > 0).OrderByDescending(a => a.UnpaidBalance).ToList();
        return new SpaceActivity([.. clouds.Take(take)], attention, locked, unpaid);
    }
}

public sealed record AccountSummary(Account Account, decimal Balance, int Instances, int CloudInstances);

public sealed record InstanceStorage(string Name, string OwnerEmail, string Region, DateTimeOffset CreatedAt, int Tasks, long StoredBytes,
    DateTimeOffset? LatestSnapshotAt);

public sealed record OwnedCloudInstance(CloudInstance Instance, string OwnerEmail);

public sealed record SpaceActivity(
    IReadOnlyList<OwnedCloudInstance> RecentCloudJobs,
    IReadOnlyList<OwnedCloudInstance> NeedAttention,
    IReadOnlyList<Account> LockedAccounts,
    IReadOnlyList<Account> UnpaidAccounts);
