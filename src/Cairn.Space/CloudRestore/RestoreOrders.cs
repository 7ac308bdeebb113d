using Cairn.Repository.Access;
using Cairn.Space.Backups;
using Cairn.Space.Backups.PasswordCheck;
using Cairn.Space.Billing;
using Cairn.Space.Data;
using Cairn.Space.Instances;
using Cairn.Space.Usage;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Space.CloudRestore;

/// <summary>
/// Restore orders from quote to return, for the API and the console alike: prices a restore, places and pays the
/// order (one charge, written with the state change in one transaction), takes a new backup password, cancels and
/// returns. The password goes to this replica's <see cref="BackupPasswordHolder"/> and nowhere else, and the same
/// save that makes the job installable claims it for this replica, so the replica holding the password runs it.
/// </summary>
public sealed class RestoreOrders(
    SpaceDbContext db,
    CloudCatalog catalog,
    CloudDrivers drivers,
    PriceSheet prices,
    ClusterGate gate,
    Ledger ledger,
    BackupPasswordHolder passwords,
    SnapshotReadability readability,
    BackupPasswordCheck passwordCheck,
    CloudJobSignal signal,
    CloudJobClaims claims,
    TimeProvider clock,
    ILogger<RestoreOrders> logger)
{
    public async Task<RestoreQuote> QuoteAsync(Guid accountId, RestoreSpec spec, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var found = await (from t in db.Tasks.AsNoTracking()
                           join i in db.Instances.AsNoTracking() on t.InstanceId equals i.Id
                           where i.AccountId == accountId && t.Id == spec.BackupId && t.DeletedAt == null
                           select new { Task = t, Instance = i }).SingleOrDefaultAsync(cancellationToken).ConfigureAwait(false)
                    ?? throw new NotFoundException("no such backup task");
        var snapshot = await ChooseSnapshotAsync(found.Task.Id, spec.SnapshotId, cancellationToken).ConfigureAwait(false);
        var choice = catalog.Resolve(spec.Provider, spec.Region, spec.Hardware);
        if (!drivers.Has(choice.Provider.Driver))
        {
            throw new DomainRuleException($"provider '{choice.Provider.Id}' needs the cloud driver '{choice.Provider.Driver}', which this Space does not have");
        }

        if (!string.Equals(catalog.Currency, prices.Currency, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"the catalog's currency {catalog.Currency} is not the account currency {prices.Currency}");
        }

        var name = Names.RequireInstanceName(string.IsNullOrWhiteSpace(spec.InstanceName) ? found.Instance.Name : spec.InstanceName.Trim());
        await RequireNameFreeAsync(accountId, name, cancellationToken).ConfigureAwait(false);

        // A client's report never prices a restore on its own: the task's stored bytes, which Space holds, do.
        const bool sizeFromTask = true;
        var size = Math.Max(0, found.Task.StorageBytes);
        return new RestoreQuote(found.Task.Id, found.Instance.Id, found.Task.Name, name, snapshot.SnapshotId, snapshot.WrittenAt, size,
            sizeFromTask, choice, catalog.Currency, RestorePricing.Lines(choice, size, sizeFromTask));
    }

    /// <summary>
    /// The wizard's first step: the quote, after the password is proved to open the task's repository
    /// (<see cref="WrongBackupPasswordException"/> otherwise). The checked password then waits in this replica's
    /// memory as the draft <paramref name="draftId"/>, which <see cref="PlaceAsync"/> takes without checking again.
    /// </summary>
    public async Task<CheckedQuote> QuoteCheckedAsync(Guid accountId, RestoreSpec spec, string? password, Guid draftId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        RequirePassword(password);
        await QuoteAsync(accountId, spec, cancellationToken).ConfigureAwait(false); // the cheap refusals before scrypt runs
        var opened = await CheckPasswordAsync(accountId, spec, password!, cancellationToken).ConfigureAwait(false);
        var quote = await QuoteAsync(accountId, spec, cancellationToken).ConfigureAwait(false);
        passwords.PutDraft(draftId, accountId, quote.TaskId, password!);
        return new CheckedQuote(quote, opened?.Tags ?? [], opened?.Hostname);
    }

    /// <summary>
    /// Places the order and pays it when the balance covers it; otherwise it stays Unpaid and nothing is provisioned.
    /// A wrong password is refused first (<see cref="WrongBackupPasswordException"/>): no order, no charge. Without a
    /// password, the one <see cref="QuoteCheckedAsync"/> checked for the draft <paramref name="orderId"/> is used.
    /// </summary>
    public async Task<OrderResult> PlaceAsync(Guid accountId, RestoreSpec spec, string? password, CancellationToken cancellationToken, Guid? orderId = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var checkedBefore = false;
        if (string.IsNullOrEmpty(password) && orderId is { } draft && passwords.TryTakeDraft(draft, accountId, spec.BackupId, out var held))
        {
            password = held;
            checkedBefore = true;
        }

        RequirePassword(password);
        if (!checkedBefore)
        {
            await QuoteAsync(accountId, spec, cancellationToken).ConfigureAwait(false); // the cheap refusals before scrypt runs
            await CheckPasswordAsync(accountId, spec, password!, cancellationToken).ConfigureAwait(false);
        }

        var quote = await QuoteAsync(accountId, spec, cancellationToken).ConfigureAwait(false);
        var instance = new CloudInstance(orderId ?? Guid.NewGuid(), accountId, quote.InstanceName, quote, clock.GetUtcNow());
        instance.ClaimFor(claims.ReplicaId, claims.LeaseEnd());
        passwords.Put(instance.Id, password!);
        try
        {
            var hold = await gate.EnterAsync(GateKinds.Balance, accountId, cancellationToken).ConfigureAwait(false);
            await using (hold.ConfigureAwait(false))
            {
                db.CloudInstances.Add(instance);
                db.ChargeLines.AddRange(quote.Lines.Select((l, i) => new ChargeLine(instance.Id, i, l.Kind, l.Description, l.Quantity, l.Unit, l.Amount)));
                var balance = await ledger.BalanceAsync(accountId, cancellationToken).ConfigureAwait(false);
                if (balance >= instance.Total)
                {
                    Charge(instance, quote.TaskName);
                }

                await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
                await hold.CommitAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (DbUpdateException)
        {
            passwords.Forget(instance.Id);
            throw new ConflictException($"the instance name '{quote.InstanceName}' is in use by another cloud instance; return that instance first");
        }
        catch
        {
            passwords.Forget(instance.Id);
            throw;
        }

        if (instance.State == CloudInstanceState.Pending)
        {
            signal.Wake();
        }

        logger.LogInformation("Restore order {OrderId} placed for {Instance}: {Total} {Currency}, {State}", instance.Id, instance.Name,
            instance.Total, instance.Currency, instance.State.ToApiName());
        return await ResultAsync(instance, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Pays an Unpaid order; <see cref="PaymentRequiredException"/> when the balance still does not cover it.</summary>
    public async Task<OrderResult> PayAsync(Guid accountId, Guid orderId, string? password, CancellationToken cancellationToken)
    {
        var instance = await GetAsync(accountId, orderId, cancellationToken).ConfigureAwait(false);
        RequireUnpaid(instance);
        if (!string.IsNullOrEmpty(password))
        {
            // A password that replaces the order's is checked before the charge, as the order's was.
            await passwordCheck.OpenAsync(accountId, instance.TaskInstanceId, instance.TaskId, password, cancellationToken).ConfigureAwait(false);
        }

        var hold = await gate.EnterAsync(GateKinds.Balance, accountId, cancellationToken).ConfigureAwait(false);
        await using (hold.ConfigureAwait(false))
        {
            // Read again behind the gate: another request (on any replica) may have paid it since.
            await db.Entry(instance).ReloadAsync(cancellationToken).ConfigureAwait(false);
            RequireUnpaid(instance);
            var balance = await ledger.BalanceAsync(accountId, cancellationToken).ConfigureAwait(false);
            if (balance < instance.Total)
            {
                throw new PaymentRequiredException(Shortfall(balance, instance));
            }

            var task = await db.Tasks.AsNoTracking().Where(t => t.Id == instance.TaskId).Select(t => t.Name)
                .SingleOrDefaultAsync(cancellationToken).ConfigureAwait(false);
            Charge(instance, task ?? "a deleted task");
            if (!string.IsNullOrEmpty(password))
            {
                // A password here replaces the one given with the order: this replica now holds it, and the job.
                instance.ClaimFor(claims.ReplicaId, claims.LeaseEnd());
                passwords.Put(instance.Id, password);
            }

            try
            {
                await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
                await hold.CommitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                if (!string.IsNullOrEmpty(password))
                {
                    passwords.Forget(instance.Id);
                }

                if (e is DbUpdateConcurrencyException)
                {
                    throw new ConflictException($"order {instance.Id} changed while it was being paid; look at it again");
                }

                throw;
            }
        }

        signal.Wake();
        logger.LogInformation("Restore order {OrderId} paid", instance.Id);
        return await ResultAsync(instance, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A new backup password for an instance in Restore_error: the install resumes, nothing is charged again.</summary>
    public async Task<CloudInstance> GivePasswordAsync(Guid accountId, Guid orderId, string? password, CancellationToken cancellationToken)
    {
        RequirePassword(password);
        var instance = await GetAsync(accountId, orderId, cancellationToken).ConfigureAwait(false);
        instance.ResumeInstall();
        instance.ClaimFor(claims.ReplicaId, claims.LeaseEnd());
        passwords.Put(instance.Id, password!);
        try
        {
            // Conditional on the claim read: of two passwords given at once (on any replicas), one resumes the install.
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (DbUpdateConcurrencyException)
        {
            passwords.Forget(instance.Id);
            throw new ConflictException($"instance '{instance.Name}' took a password a moment ago and is installing again");
        }
        catch
        {
            passwords.Forget(instance.Id);
            throw;
        }

        signal.Wake();
        logger.LogInformation("Cloud instance {Instance} resumes installing with a new backup password", instance.Name);
        return instance;
    }

    public async Task<CloudInstance> CancelAsync(Guid accountId, Guid orderId, CancellationToken cancellationToken)
    {
        var instance = await GetAsync(accountId, orderId, cancellationToken).ConfigureAwait(false);
        instance.Cancel(clock.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        passwords.Forget(instance.Id);
        logger.LogInformation("Restore order {OrderId} canceled", instance.Id);
        return instance;
    }

    /// <summary>Returns an instance: Destroying now, Destroyed by the job runner; the unused part of its period is refunded.</summary>
    public async Task<(CloudInstance Instance, decimal Refund)> ReturnAsync(Guid accountId, string name, CancellationToken cancellationToken)
    {
        CloudInstance instance;
        decimal refund;
        // The instance is read behind the gate, so two returns at once (on any replicas) refund once.
        var hold = await gate.EnterAsync(GateKinds.Balance, accountId, cancellationToken).ConfigureAwait(false);
        await using (hold.ConfigureAwait(false))
        {
            instance = await db.CloudInstances.SingleOrDefaultAsync(c => c.AccountId == accountId && c.Name == name && c.ReleasedAt == null,
                           cancellationToken).ConfigureAwait(false)
                       ?? throw new NotFoundException($"no active cloud instance '{name}'");
            var now = clock.GetUtcNow();
            refund = instance.RefundOnReturnAt(now);
            instance.Return(now);
            if (refund > 0)
            {
                db.Ledger.Add(LedgerEntry.Refund(accountId, now, refund,
                    $"Refund: unused part of the period of {instance.Name} ({MachineWords(instance)})", instance.Id));
            }

            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            await hold.CommitAsync(cancellationToken).ConfigureAwait(false);
        }

        passwords.Forget(instance.Id);
        signal.Wake();
        logger.LogInformation("Cloud instance {Instance} returned; refund {Refund}", instance.Name, refund);
        return (instance, refund);
    }

    /// <summary>
    /// What returning the active instance <paramref name="name"/> now would refund, computed as <see cref="ReturnAsync"/>
    /// computes it, for a confirmation page; nothing changes.
    /// </summary>
    public async Task<(CloudInstance Instance, decimal Refund)> ReturnPreviewAsync(Guid accountId, string name, CancellationToken cancellationToken)
    {
        var instance = await db.CloudInstances.AsNoTracking()
                           .SingleOrDefaultAsync(c => c.AccountId == accountId && c.Name == name && c.ReleasedAt == null, cancellationToken)
                           .ConfigureAwait(false)
                       ?? throw new NotFoundException($"no active cloud instance '{name}'");
        return (instance, instance.RefundOnReturnAt(clock.GetUtcNow()));
    }

    private static void RequireUnpaid(CloudInstance instance)
    {
        if (instance.State != CloudInstanceState.Unpaid)
        {
            throw new ConflictException($"order {instance.Id} is {instance.State.ToApiName()}, not Unpaid");
        }
    }

    public async Task<CloudInstance> GetAsync(Guid accountId, Guid orderId, CancellationToken cancellationToken)
        => await db.CloudInstances.SingleOrDefaultAsync(c => c.AccountId == accountId && c.Id == orderId, cancellationToken).ConfigureAwait(false)
           ?? throw new NotFoundException($"no restore order {orderId}");

    /// <summary>The account's cloud instance of that name: the one holding it, else the latest that did.</summary>
    public async Task<CloudInstance> GetByNameAsync(Guid accountId, string name, CancellationToken cancellationToken)
    {
        var all = await db.CloudInstances.AsNoTracking().Where(c => c.AccountId == accountId && c.Name == name)
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        return all.OrderBy(c => c.ReleasedAt is null ? 0 : 1).ThenByDescending(c => c.CreatedAt).FirstOrDefault()
               ?? throw new NotFoundException($"no cloud instance '{name}'");
    }

    public async Task<IReadOnlyList<CloudInstance>> ListAsync(Guid accountId, CancellationToken cancellationToken)
    {
        var all = await db.CloudInstances.AsNoTracking().Where(c => c.AccountId == accountId).ToListAsync(cancellationToken).ConfigureAwait(false);
        return [.. all.OrderByDescending(c => c.CreatedAt)];
    }

    public async Task<IReadOnlyList<ChargeLine>> LinesAsync(Guid orderId, CancellationToken cancellationToken)
    {
        var lines = await db.ChargeLines.AsNoTracking().Where(l => l.OrderId == orderId).ToListAsync(cancellationToken).ConfigureAwait(false);
        return [.. lines.OrderBy(l => l.Position)];
    }

    public async Task<OrderResult> ResultAsync(CloudInstance instance, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(instance);
        var balance = await ledger.BalanceAsync(instance.AccountId, cancellationToken).ConfigureAwait(false);
        var message = instance.State == CloudInstanceState.Unpaid ? Shortfall(balance, instance) : null;
        return new OrderResult(instance, await LinesAsync(instance.Id, cancellationToken).ConfigureAwait(false), balance, message);
    }

    private void Charge(CloudInstance instance, string taskName)
    {
        var now = clock.GetUtcNow();
        instance.Pay(now);
        db.Ledger.Add(LedgerEntry.Charge(instance.AccountId, now, instance.Total,
            $"Restore of {taskName} snapshot {instance.SnapshotId[..8]} to {instance.Name} ({MachineWords(instance)}), first month",
            instance.Id));
    }

    /// <summary>The catalog's names for where an instance runs ("Northwind Cloud, Frankfurt, General 2"), for ledger entries a person reads.</summary>
    private string MachineWords(CloudInstance instance)
    {
        var provider = catalog.Providers.FirstOrDefault(p => p.Id == instance.Provider);
        var region = provider?.Regions.FirstOrDefault(r => r.Id == instance.Region);
        var hardware = region?.Hardware.FirstOrDefault(h => h.Id == instance.Hardware);
        return $"{provider?.Name ?? instance.Provider}, {region?.Name ?? instance.Region}, {hardware?.Name ?? instance.Hardware}";
    }

    private static string Shortfall(decimal balance, CloudInstance instance)
        => string.Create(System.Globalization.CultureInfo.InvariantCulture,
               $"The balance of {balance:#,##0.00} {instance.Currency} does not cover this order of {instance.Total:#,##0.00} {instance.Currency}: ")
           + "the order stays Unpaid and nothing is provisioned. Top up the account, then pay the order.";

    private async Task<SnapshotRecord> ChooseSnapshotAsync(Guid taskId, string? snapshotId, CancellationToken cancellationToken)
    {
        // A snapshot object is written last, once a backup has succeeded, so each record is a successful snapshot.
        var all = await db.Snapshots.AsNoTracking().Where(s => s.TaskId == taskId).ToListAsync(cancellationToken).ConfigureAwait(false);
        if (all.Count == 0)
        {
            throw new DomainRuleException("this backup task has no snapshot yet");
        }

        if (string.IsNullOrWhiteSpace(snapshotId) || snapshotId == "latest")
        {
            return all.Where(s => !s.IsUnreadable).OrderBy(s => s.WrittenAt).ThenBy(s => s.SnapshotId, StringComparer.Ordinal).LastOrDefault()
                   ?? throw new DomainRuleException("no snapshot of this backup task opens with the backup password (all are unreadable)");
        }

        var matches = snapshotId.Length >= 8 ? all.Where(s => s.SnapshotId.StartsWith(snapshotId, StringComparison.Ordinal)).ToList() : [];
        return matches.Count != 1 ? throw new NotFoundException($"no single snapshot of this task matches '{snapshotId}'")
            : matches[0].IsUnreadable ? throw new DomainRuleException($"snapshot {matches[0].SnapshotId[..8]} is unreadable: the backup password does not open it")
            : matches[0];
    }

    private async Task RequireNameFreeAsync(Guid accountId, string name, CancellationToken cancellationToken)
    {
        var holder = await db.CloudInstances.AsNoTracking().Where(c => c.Name == name && c.ReleasedAt == null)
            .Select(c => new { c.AccountId, c.State }).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        if (holder is null)
        {
            return;
        }

        throw new ConflictException(holder.AccountId == accountId
            ? $"the instance name '{name}' is used by your cloud instance '{name}' ({holder.State.ToApiName()}); return that instance first"
            : $"the instance name '{name}' is in use");
    }

    /// <summary>
    /// Opens a key of the task's repository with the password (in memory, bounded), then, with the master key it
    /// unwraps, marks the snapshots planted by an append-only credential unreadable, so the quote chooses one that opens.
    /// </summary>
    private async Task<SnapshotHeader?> CheckPasswordAsync(Guid accountId, RestoreSpec spec, string password, CancellationToken cancellationToken)
    {
        var task = await (from t in db.Tasks.AsNoTracking()
                          join i in db.Instances.AsNoTracking() on t.InstanceId equals i.Id
                          where i.AccountId == accountId && t.Id == spec.BackupId && t.DeletedAt == null
                          select new { t.Id, t.InstanceId }).SingleOrDefaultAsync(cancellationToken).ConfigureAwait(false)
                   ?? throw new NotFoundException("no such backup task");
        var key = await passwordCheck.OpenAsync(accountId, task.InstanceId, task.Id, password, cancellationToken).ConfigureAwait(false);
        return await readability.CheckAsync(accountId, task.Id, spec.SnapshotId, key, cancellationToken).ConfigureAwait(false);
    }

    private static void RequirePassword(string? password)
    {
        if (string.IsNullOrEmpty(password))
        {
            throw new DomainRuleException("the backup password is needed to restore");
        }
    }
}

/// <summary>A quote made with a password that opens the repository, and what only it reveals of the snapshot: tags and host.</summary>
public sealed record CheckedQuote(RestoreQuote Quote, IReadOnlyList<string> Tags, string? Hostname);

/// <summary>An order with its charge lines, the balance after it, and, when Unpaid, why.</summary>
public sealed record OrderResult(CloudInstance Instance, IReadOnlyList<ChargeLine> Lines, decimal Balance, string? Message);

/// <summary>The balance does not cover an order; the message says by how much and what to do.</summary>
public sealed class PaymentRequiredException(string message) : Exception(message);
