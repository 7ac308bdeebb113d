using Cairn.Space.Data;
using Cairn.Space.Domain;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Space.Services;

/// <summary>Sign-up, sign-in and API tokens. Usable from endpoints and from server-rendered pages alike.</summary>
public sealed class AccountService(
    SpaceDbContext db,
    SpaceSettings settings,
    TimeProvider clock,
    IPasswordHasher<Account> hasher,
    ILogger<AccountService> logger)
{
    public async Task<Account> SignUpAsync(string? email, string? password, CancellationToken cancellationToken)
    {
        if (!settings.SignUpOpen)
        {
            throw new AccessDeniedException("sign-up is closed on this Space");
        }

        return await CreateAsync(email, password, isOperator: false, cancellationToken).ConfigureAwait(false);
    }

    public async Task<Account> CreateAsync(string? email, string? password, bool isOperator, CancellationToken cancellationToken)
    {
        var normalized = Account.NormalizeEmail(email);
        Account.RequireStrongEnough(password);
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

    /// <summary>Checks email and password; null when either is wrong (the caller does not learn which).</summary>
    public async Task<Account?> SignInAsync(string? email, string? password, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(email) || string.IsNullOrEmpty(password))
        {
            return null;
        }

        var normalized = email.Trim().ToLowerInvariant();
        var account = await db.Accounts.SingleOrDefaultAsync(a => a.Email == normalized, cancellationToken).ConfigureAwait(false);
        if (account is null)
        {
            return null;
        }

        var result = hasher.VerifyHashedPassword(account, account.PasswordHash, password);
        if (result == PasswordVerificationResult.Failed)
        {
            return null;
        }

        if (result == PasswordVerificationResult.SuccessRehashNeeded)
        {
            account.SetPasswordHash(hasher.HashPassword(account, password));
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }

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
        var normalized = Account.NormalizeEmail(email);
        var account = await db.Accounts.SingleOrDefaultAsync(a => a.Email == normalized, cancellationToken).ConfigureAwait(false)
                      ?? throw new NotFoundException("no such account");
        account.SetUnpaidBalance(amount);
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        logger.LogInformation("Account {AccountId} unpaid balance set to {UnpaidBalance}", account.Id, account.UnpaidBalance);
        return account;
    }

    /// <summary>Creates the operator account named by configuration when it does not exist yet (first start).</summary>
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
            await CreateAsync(email, settings.AdminPassword, isOperator: true, cancellationToken).ConfigureAwait(false);
        }
        else if (!existing.IsOperator)
        {
            existing.MakeOperator();
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }
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
