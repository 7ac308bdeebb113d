using System.Globalization;
using Cairn.Space.Accounts;
using Cairn.Space.Backups;
using Cairn.Space.Data;
using Cairn.Space.Usage;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Space.Accounts.SignIn;

/// <summary>
/// Checks who is signing in, for the token endpoint and the console alike: rate limits first, then the password
/// (against a dummy hash when the email is unknown, so both take the same time), the lockout kept on the account,
/// and the second factor when the account has one. Failures and the lock are counted in the database.
/// </summary>
public sealed class SignInService(
    SpaceDbContext db,
    TimeProvider clock,
    IPasswordHasher<Account> hasher,
    DummyPasswordHash dummy,
    SignInThrottle throttle,
    SignInSettings settings,
    TwoFactorService twoFactor,
    IDataProtectionProvider protection,
    ILogger<SignInService> logger)
{
    private static readonly TimeSpan s_codeTicketLifetime = TimeSpan.FromMinutes(5);

    private readonly ITimeLimitedDataProtector _tickets =
        protection.CreateProtector("Cairn.Space.SignIn.CodeTicket.v1").ToTimeLimitedDataProtector();

    /// <summary>
    /// Email and password, and the code when the account has two-factor sign-in. Throws
    /// <see cref="TooManyRequestsException"/> when throttled or locked.
    /// </summary>
    public async Task<SignInResult> SignInAsync(string? email, string? password, string? code, string client,
        CancellationToken cancellationToken)
    {
        var normalized = (email ?? "").Trim().ToLowerInvariant();
        throttle.Acquire(SignInThrottle.SignIn, client, normalized);
        if (normalized.Length is 0 or > PasswordRules.MaxEmailLength || string.IsNullOrEmpty(password) || password.Length > PasswordRules.MaxLength)
        {
            return SignInResult.Wrong;
        }

        var account = await db.Accounts.SingleOrDefaultAsync(a => a.Email == normalized, cancellationToken).ConfigureAwait(false);

        // The same work whether the account exists, is locked or not: the hash is always checked.
        var verdict = account is null
            ? hasher.VerifyHashedPassword(dummy.Account, dummy.Hash, password)
            : hasher.VerifyHashedPassword(account, account.PasswordHash, password);
        if (account is null)
        {
            return SignInResult.Wrong;
        }

        var now = clock.GetUtcNow();
        if (account.IsLockedByOperator && verdict == PasswordVerificationResult.Failed)
        {
            return SignInResult.Wrong; // only the password's owner learns that the operator locked the account
        }

        RefuseWhenLocked(account, now);
        if (verdict == PasswordVerificationResult.Failed)
        {
            await RecordFailureAsync(account, now, cancellationToken).ConfigureAwait(false);
            return SignInResult.Wrong;
        }

        if (verdict == PasswordVerificationResult.SuccessRehashNeeded)
        {
            account.SetPasswordHash(hasher.HashPassword(account, password));
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }

        if (account.TwoFactorEnabled)
        {
            if (string.IsNullOrWhiteSpace(code))
            {
                return new SignInResult(SignInStatus.CodeRequired, account, IssueCodeTicket(account));
            }

            if (!await twoFactor.TryUseCodeAsync(account, code, cancellationToken).ConfigureAwait(false))
            {
                await RecordFailureAsync(account, now, cancellationToken).ConfigureAwait(false);
                return new SignInResult(SignInStatus.WrongCode, null, IssueCodeTicket(account));
            }
        }

        await RecordSuccessAsync(account, cancellationToken).ConfigureAwait(false);
        return new SignInResult(SignInStatus.SignedIn, account, null);
    }

    /// <summary>The console's second step: the ticket from the password step (valid five minutes) and the code.</summary>
    public async Task<SignInResult> SignInWithCodeAsync(string? ticket, string? code, string client, CancellationToken cancellationToken)
    {
        var (accountId, stamp) = ReadCodeTicket(ticket);
        var account = accountId is null ? null
            : await db.Accounts.SingleOrDefaultAsync(a => a.Id == accountId, cancellationToken).ConfigureAwait(false);
        if (account is null || account.SecurityStamp != stamp || !account.TwoFactorEnabled)
        {
            return SignInResult.Expired;
        }

        throttle.Acquire(SignInThrottle.SignIn, client, account.Email);
        var now = clock.GetUtcNow();
        RefuseWhenLocked(account, now);
        if (!await twoFactor.TryUseCodeAsync(account, code, cancellationToken).ConfigureAwait(false))
        {
            await RecordFailureAsync(account, now, cancellationToken).ConfigureAwait(false);
            return new SignInResult(SignInStatus.WrongCode, null, ticket);
        }

        await RecordSuccessAsync(account, cancellationToken).ConfigureAwait(false);
        return new SignInResult(SignInStatus.SignedIn, account, null);
    }

    private void RefuseWhenLocked(Account account, DateTimeOffset now)
    {
        if (account.IsLockedByOperator)
        {
            throw new AccessDeniedException("this account is locked by the operator of this Space; ask them to unlock it");
        }

        if (account.LockedUntil is { } until && until > now)
        {
            throw new TooManyRequestsException(
                $"this account is locked after {account.FailedSignIns} failed sign-ins until {until.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)} UTC; " +
                "try again then, or ask the operator to unlock it", until - now);
        }
    }

    // One atomic increment, then the lock from the count it reached: replicas counting at once still count every failure.
    private async Task RecordFailureAsync(Account account, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await db.Accounts.Where(a => a.Id == account.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.FailedSignIns, a => a.FailedSignIns + 1), cancellationToken).ConfigureAwait(false);
        var failures = await db.Accounts.Where(a => a.Id == account.Id).Select(a => a.FailedSignIns)
            .SingleAsync(cancellationToken).ConfigureAwait(false);
        var lockFor = settings.LockoutFor(failures);
        if (lockFor > TimeSpan.Zero)
        {
            var until = now + lockFor;
            await db.Accounts.Where(a => a.Id == account.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(a => a.LockedUntil, until), cancellationToken).ConfigureAwait(false);
            logger.LogWarning("Account {AccountId} locked for {LockFor} after {Failures} failed sign-ins", account.Id, lockFor, failures);
        }
    }

    private async Task RecordSuccessAsync(Account account, CancellationToken cancellationToken)
    {
        if (account.FailedSignIns != 0 || account.LockedUntil is not null)
        {
            await db.Accounts.Where(a => a.Id == account.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(a => a.FailedSignIns, 0).SetProperty(a => a.LockedUntil, (DateTimeOffset?)null),
                    cancellationToken).ConfigureAwait(false);
        }
    }

    private string IssueCodeTicket(Account account)
        => _tickets.Protect($"{account.Id:N}|{account.SecurityStamp}", s_codeTicketLifetime);

    private (Guid? AccountId, string Stamp) ReadCodeTicket(string? ticket)
    {
        if (string.IsNullOrEmpty(ticket) || ticket.Length > 2048)
        {
            return (null, "");
        }

        try
        {
            var parts = _tickets.Unprotect(ticket).Split('|');
            return parts.Length == 2 && Guid.TryParseExact(parts[0], "N", out var id) ? (id, parts[1]) : (null, "");
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return (null, ""); // expired or forged
        }
    }
}

public enum SignInStatus
{
    SignedIn,
    WrongCredentials,
    CodeRequired,
    WrongCode,
    TicketExpired,
}

/// <summary>How a sign-in went; <see cref="CodeTicket"/> carries the console from the password step to the code step.</summary>
public sealed record SignInResult(SignInStatus Status, Account? Account, string? CodeTicket)
{
    public static SignInResult Wrong { get; } = new(SignInStatus.WrongCredentials, null, null);
    public static SignInResult Expired { get; } = new(SignInStatus.TicketExpired, null, null);
}
