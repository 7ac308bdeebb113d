using Cairn.Space.Accounts.SignIn;
using Cairn.Space.Backups;
using Cairn.Space.Data;
using Cairn.Space.Hosting;
using Cairn.Space.Usage;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Space.Instances;

/// <summary>An account's instances and the credentials they back up with.</summary>
public sealed class InstanceService(
    SpaceDbContext db,
    TimeProvider clock,
    PriceSheet prices,
    AccountLimits limits,
    ILogger<InstanceService> logger)
{
    public async Task<Instance> RegisterAsync(Guid accountId, string? name, string? region, CancellationToken cancellationToken)
    {
        var valid = Names.RequireInstanceName(name);
        var chosenRegion = string.IsNullOrEmpty(region) ? prices.DefaultRegion : region;
        if (!prices.HasRegion(chosenRegion))
        {
            throw new DomainRuleException($"unknown storage region '{chosenRegion}'; known: {string.Join(", ", prices.Regions)}");
        }

        if (await db.Instances.AnyAsync(i => i.Name == valid && i.DeletedAt == null, cancellationToken).ConfigureAwait(false))
        {
            throw new ConflictException($"the instance name '{valid}' is in use");
        }

        // The account's row is written first, which holds it for this transaction (a row lock on PostgreSQL, the
        // write lock on SQLite): two registrations on two replicas count one after the other, never past the limit.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await db.Accounts.Where(a => a.Id == accountId)
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.InstanceLimit, a => a.InstanceLimit), cancellationToken).ConfigureAwait(false);
        var limit = await db.Accounts.Where(a => a.Id == accountId).Select(a => a.InstanceLimit)
            .SingleAsync(cancellationToken).ConfigureAwait(false) ?? limits.InstancesPerAccount;
        var held = await db.Instances.CountAsync(i => i.AccountId == accountId && i.DeletedAt == null, cancellationToken).ConfigureAwait(false);
        if (held >= limit)
        {
            throw new ConflictException(
                $"this account may hold at most {limit} instances and holds {held}; remove one or ask the operator to raise the limit");
        }

        var instance = new Instance(Guid.NewGuid(), accountId, valid, chosenRegion, clock.GetUtcNow());
        db.Instances.Add(instance);
        try
        {
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (DbUpdateException)
        {
            throw new ConflictException($"the instance name '{valid}' is in use");
        }

        logger.LogInformation("Instance {Instance} registered for account {AccountId}", instance.Name, accountId);
        return instance;
    }

    public async Task<IReadOnlyList<Instance>> ListAsync(Guid accountId, CancellationToken cancellationToken)
        => await db.Instances.AsNoTracking()
            .Where(i => i.AccountId == accountId && i.DeletedAt == null)
            .OrderBy(i => i.Name)
            .ToListAsync(cancellationToken).ConfigureAwait(false);

    /// <summary>The account's active instance of that name; <see cref="NotFoundException"/> for anyone else's.</summary>
    public async Task<Instance> GetAsync(Guid accountId, string name, CancellationToken cancellationToken)
        => await db.Instances.SingleOrDefaultAsync(i => i.AccountId == accountId && i.Name == name && i.DeletedAt == null, cancellationToken)
               .ConfigureAwait(false)
           ?? throw new NotFoundException($"no instance '{name}'");

    /// <summary>Removes an instance that has no backup tasks left, revoking its credentials and freeing its name.</summary>
    public async Task DeleteAsync(Guid accountId, string name, CancellationToken cancellationToken)
    {
        var instance = await GetAsync(accountId, name, cancellationToken).ConfigureAwait(false);
        if (await db.Tasks.AnyAsync(t => t.InstanceId == instance.Id && t.DeletedAt == null, cancellationToken).ConfigureAwait(false))
        {
            throw new ConflictException($"instance '{name}' still has backup tasks; delete them first");
        }

        var now = clock.GetUtcNow();
        instance.Delete(now);
        foreach (var credential in await db.Credentials.Where(c => c.InstanceId == instance.Id && c.RevokedAt == null)
                     .ToListAsync(cancellationToken).ConfigureAwait(false))
        {
            credential.Revoke(now);
        }

        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        logger.LogInformation("Instance {Instance} removed", name);
    }

    /// <summary>Mints a credential for an instance (or, read-only, for one of its tasks); the secret is returned once.</summary>
    public async Task<MintedCredential> MintCredentialAsync(Instance instance, CredentialAccess access, Guid? taskId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(instance);
        var secret = Secrets.NewSecret();
        var credential = new InstanceCredential(Guid.NewGuid(), instance.Id, Secrets.NewUsername(), Secrets.Hash(secret), access,
            clock.GetUtcNow(), taskId);
        db.Credentials.Add(credential);
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        logger.LogInformation("Credential {Username} minted for instance {Instance} ({Access})", credential.Username, instance.Name, access);
        return new MintedCredential(credential, secret);
    }

    public async Task<IReadOnlyList<InstanceCredential>> ListCredentialsAsync(Instance instance, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(instance);
        return await db.Credentials.AsNoTracking().Where(c => c.InstanceId == instance.Id)
            .OrderBy(c => c.Username).ToListAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task RevokeCredentialAsync(Instance instance, string username, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(instance);
        var credential = await db.Credentials.SingleOrDefaultAsync(c => c.InstanceId == instance.Id && c.Username == username, cancellationToken)
                             .ConfigureAwait(false)
                         ?? throw new NotFoundException($"no credential '{username}'");
        credential.Revoke(clock.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        logger.LogInformation("Credential {Username} of instance {Instance} revoked", username, instance.Name);
    }
}

/// <summary>A new credential and its secret, which exists nowhere else.</summary>
public sealed record MintedCredential(InstanceCredential Credential, string Secret);
