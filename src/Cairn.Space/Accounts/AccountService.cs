using Cairn.Space.Accounts.SignIn;
using Cairn.Space.Backups;
using Cairn.Space.Data;
using Cairn.Space.Hosting;
using Cairn.Space.Usage;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Space.Accounts;

/// <summary>Sign-up, API tokens and account settings (sign-in is <see cref="SignInService"/>). Usable from endpoints and pages alike.</summary>
public sealed class AccountService(
    SpaceDbContext db,
    SpaceSettings settings,
    TimeProvider clock,
    IPasswordHasher<Account> hasher,
    SignInThrottle throttle,
    SignUpQuota signUps,
    ILogger<AccountService> logger)
{
    /// <summary>
    /// A new account from <paramref name="client"/> (see <see cref="ClientAddress"/>): rate-limited, then checked, then
    /// counted against the client's sign-ups of the day, so a typo does not use one up.
    /// </summary>
    public async Task<Account> SignUpAsync(string? email, string? password, string client, CancellationToken cancellationToken)
    {
        if (!settings.SignUpOpen)
        {
            throw new AccessDeniedException("sign-up is closed on this Space");
        }

        throttle.Acquire(SignInThrottle.SignUp, client, email);
        var normalized = Account.NormalizeEmail(email);
        Account.RequireStrongEnough(password, normalized);
        await signUps.TakeAsync(client, cancellationToken).ConfigureAwait(false);
        return await CreateAsync(email, password, isOperator: false, cancellationToken).ConfigureAwait(false);
    }

    public async Task<Account> CreateAsync(string? email, string? password, bool isOperator, CancellationToken cancellationToken)
    {
        var normalized = Account.NormalizeEmail(email);
        Account.RequireStrongEnough(password, normalized);
        if (await db.Accounts.AnyAsync(a => a.Email == normalized, cancellationToken).ConfigureAwait(false))
        {
            throw new ConflictException("an account with this email exists");
        }

        var account = new Account(Guid.NewGuid(), normalized, clock.GetUtcNow(), isOperator);
        account.SetPasswordHash(hasher.HashPassword(account, password!));
        db.Accounts.Add(account);
        await SaveAsync(cancellationToken).ConfigureAwait(false);
        logger.LogInformation("Account {AccountId} created (operator: {IsOperator})", account.Id, isOperator);
        return account;
    }

    /// <summary>Mints a bearer token; the returned text is the only copy.</summary>
    public async Task<(string Token, DateTimeOffset ExpiresAt)> IssueTokenAsync(Account account, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(account);
        var token = Secrets.NewSecret();
        var now = clock.GetUtcNow();
        var entity = new AccessToken(Guid.NewGuid(), account.Id, Secrets.Hash(token), now, now + settings.TokenLifetime);
        db.AccessTokens.Add(entity);
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return (token, entity.ExpiresAt);
    }

    public async Task<Account?> FindByTokenAsync(string token, CancellationToken cancellationToken)
    {
        var hash = Secrets.Hash(token);
        var now = clock.GetUtcNow();
        var row = await db.AccessTokens.AsNoTracking()
            .Where(t => t.TokenHash == hash && t.ExpiresAt > now)
            .Join(db.Accounts, t => t.AccountId, a => a.Id, (_, a) => a)
            .SingleOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        return row;
    }

    public async Task RevokeTokenAsync(string token, CancellationToken cancellationToken)
    {
        var hash = Secrets.Hash(token);
        await db.AccessTokens.Where(t => t.TokenHash == hash).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<Account> GetAsync(Guid accountId, CancellationToken cancellationToken)
        => await db.Accounts.SingleOrDefaultAsync(a => a.Id == accountId, cancellationToken).ConfigureAwait(false)
           ?? throw new NotFoundException("no such account");

    /// <summary>
    /// A new password, given the current one: the security stamp rotates (every console session ends) and every API
    /// token but <paramref name="keepTokenHash"/>'s (the one asking) is revoked.
    /// </summary>
    public async Task ChangePasswordAsync(Guid accountId, string? currentPassword, string? newPassword, string? keepTokenHash,
        CancellationToken cancellationToken)
    {
        var account = await GetAsync(accountId, cancellationToken).ConfigureAwait(false);
        if (string.IsNullOrEmpty(currentPassword) || currentPassword.Length > PasswordRules.MaxLength
            || hasher.VerifyHashedPassword(account, account.PasswordHash, currentPassword) == PasswordVerificationResult.Failed)
        {
            throw new AccessDeniedException("the current password is wrong");
        }

        Account.RequireStrongEnough(newPassword, account.Email);
        account.SetPasswordHash(hasher.HashPassword(account, newPassword!));
        account.RotateSecurityStamp();
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        await db.AccessTokens.Where(t => t.AccountId == accountId && t.TokenHash != keepTokenHash)
            .ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
        logger.LogInformation("Account {AccountId} changed its password", accountId);
    }

    /// <summary>Ends every console session of the account (their cookies carry the old stamp).</summary>
    public async Task RotateSecurityStampAsync(Guid accountId, CancellationToken cancellationToken)
    {
        var account = await GetAsync(accountId, cancellationToken).ConfigureAwait(false);
        account.RotateSecurityStamp();
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The operator's unlock of an account locked after failed sign-ins.</summary>
    public async Task<Account> UnlockAsync(string email, CancellationToken cancellationToken)
    {
        var account = await GetByEmailAsync(email, cancellationToken).ConfigureAwait(false);
        account.Unlock();
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        logger.LogInformation("Account {AccountId} unlocked by the operator", account.Id);
        return account;
    }

    /// <summary>
    /// The operator's lock: sign-in is refused until <see cref="UnlockAsync"/>, console sessions end (the stamp rotates)
    /// and API tokens are revoked. Instance credentials keep working, so the account's machines keep backing up.
    /// </summary>
    public async Task<Account> LockAsync(string email, CancellationToken cancellationToken)
    {
        var account = await GetByEmailAsync(email, cancellationToken).ConfigureAwait(false);
        account.LockByOperator();
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        await db.AccessTokens.Where(t => t.AccountId == account.Id).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
        logger.LogWarning("Account {AccountId} locked by the operator", account.Id);
        return account;
    }

    /// <summary>Accounts whose email contains <paramref name="emailPart"/> (all when empty), by email, at most <paramref name="take"/>.</summary>
    public async Task<IReadOnlyList<Account>> SearchAsync(string? emailPart, int take, CancellationToken cancellationToken)
    {
        var query = db.Accounts.AsNoTracking();
        var part = emailPart?.Trim().ToLowerInvariant();
        if (!string.IsNullOrEmpty(part))
        {
            query = query.Where(a => a.Email.Contains(part));
        }

        return await query.OrderBy(a => a.Email).Take(Math.Clamp(take, 1, 500)).ToListAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The operator sets how many instances one account may hold; null returns it to the Space's default.</summary>
    public async Task<Account> SetInstanceLimitAsync(string email, int? limit, CancellationToken cancellationToken)
    {
        var account = await GetByEmailAsync(email, cancellationToken).ConfigureAwait(false);
        account.SetInstanceLimit(limit);
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        logger.LogInformation("Account {AccountId} instance limit set to {InstanceLimit}", account.Id, limit);
        return account;
    }

    public async Task<Account> SetSpendingCapAsync(Guid accountId, decimal? cap, CancellationToken cancellationToken)
    {
        var account = await GetAsync(accountId, cancellationToken).ConfigureAwait(false);
        account.SetSpendingCap(cap);
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        logger.LogInformation("Account {AccountId} spending cap set to {SpendingCap}", account.Id, account.SpendingCap);
        return account;
    }

    public async Task<Account> SetUnpaidBalanceAsync(string email, decimal amount, CancellationToken cancellationToken)
    {
        var account = await GetByEmailAsync(email, cancellationToken).ConfigureAwait(false);
        account.SetUnpaidBalance(amount);
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        logger.LogInformation("Account {AccountId} unpaid balance set to {UnpaidBalance}", account.Id, account.UnpaidBalance);
        return account;
    }

    /// <summary>
    /// Creates the operator account named by configuration when it does not exist (at every start), or makes an
    /// existing account with that address an operator when the configured password is its password.
    /// </summary>
    public async Task EnsureOperatorAsync(CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(settings.AdminEmail) || string.IsNullOrEmpty(settings.AdminPassword))
        {
            return;
        }

        var email = Account.NormalizeEmail(settings.AdminEmail);
        var existing = await db.Accounts.SingleOrDefaultAsync(a => a.Email == email, cancellationToken).ConfigureAwait(false);
        if (existing is null)
        {
            try
            {
                await CreateAsync(email, settings.AdminPassword, isOperator: true, cancellationToken).ConfigureAwait(false);
            }
            catch (DomainRuleException e)
            {
                throw new InvalidOperationException($"the operator account from Space:AdminEmail and Space:AdminPassword is refused: {e.Message}", e);
            }
        }
        else if (!existing.IsOperator)
        {
            // Only the account's owner is promoted: anyone may have signed up with the operator's address first.
            if (hasher.VerifyHashedPassword(existing, existing.PasswordHash, settings.AdminPassword) == PasswordVerificationResult.Failed)
            {
                logger.LogError(
                    "Account {AccountId} has the address in Space:AdminEmail but not the password in Space:AdminPassword; it is not made an operator "
                    + "(someone else may have signed up with that address: close it, or name another address)", existing.Id);
                return;
            }

            existing.MakeOperator();
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task<Account> GetByEmailAsync(string email, CancellationToken cancellationToken)
    {
        var normalized = Account.NormalizeEmail(email);
        return await db.Accounts.SingleOrDefaultAsync(a => a.Email == normalized, cancellationToken).ConfigureAwait(false)
               ?? throw new NotFoundException("no such account");
    }

    private async Task SaveAsync(CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (DbUpdateException)
        {
            // Two sign-ups raced for one email; the unique index decided.
            throw new ConflictException("an account with this email exists");
        }
    }
}
